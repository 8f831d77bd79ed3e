import { Pagination, TextInput } from '@mantine/core';
import { navigate } from '../router';

/** The 1-based page a list's query asks for; anything else is the first page. */
export function pageOf(query: URLSearchParams): number {
  const page = Number(query.get('page'));
  return Number.isInteger(page) && page > 1 ? page : 1;
}

/**
 * A filter's setter for a list page whose filters live in its query string, so a filtered list
 * can be linked to and survives a reload. A new filter starts again from the first page.
 */
export function filterSetter(path: string, query: URLSearchParams) {
  return (name: string) => (value: string | null) => {
    const next = new URLSearchParams(query);
    next.delete('page');
    if (value) next.set(name, value);
    else next.delete(name);
    navigate(`${path}${next.size ? `?${next.toString()}` : ''}`, { replace: true });
  };
}

/** The From and To date filters of a list. */
export function DateRangeInputs({
  query,
  change,
}: {
  query: URLSearchParams;
  change: (name: string) => (value: string | null) => void;
}) {
  return (
    <>
      <TextInput
        label="From"
        type="date"
        value={query.get('from') ?? ''}
        onChange={(e) => change('from')(e.currentTarget.value)}
      />
      <TextInput
        label="To"
        type="date"
        value={query.get('to') ?? ''}
        onChange={(e) => change('to')(e.currentTarget.value)}
      />
    </>
  );
}

/** Pages of a list longer than one page, each a link-able address. */
export function ListPagination(props: { path: string; query: URLSearchParams; total: number; pageSize: number }) {
  const { path, query, total, pageSize } = props;
  if (total <= pageSize) return null;
  return (
    <Pagination
      total={Math.ceil(total / pageSize)}
      value={pageOf(query)}
      onChange={(page) => {
        const next = new URLSearchParams(query);
        next.set('page', String(page));
        navigate(`${path}?${next.toString()}`);
      }}
      getControlProps={(control) => ({ 'aria-label': `${control} page` })}
      getItemProps={(page) => ({ 'aria-label': `Page ${page}` })}
    />
  );
}
