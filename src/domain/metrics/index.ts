export { BUSINESS_MAPS, COUNTER_NAMES, type BusinessMap, type CounterName, type Counters } from './counters.js';
