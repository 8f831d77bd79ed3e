import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import { MantineProvider, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

/** Teal as the widget's default, in the darkest shade: the lighter ones fail WCAG AA contrast under white text. */
const theme = createTheme({ primaryColor: 'teal', primaryShade: { light: 9, dark: 6 } });

/**
 * Mantine's dimmed text (gray 6) reads at 3.3:1 on white; gray 7 passes AA. The light orange
 * alert's title (the handoff briefing) is orange on pale orange, below AA even at orange 9; a
 * darker orange than Mantine's scale holds reads above 4.5:1 on it.
 */
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-orange-light-color': '#9a3412',
    // A hovered button steps down to teal 8, below AA under white text; a darker teal keeps it readable.
    '--mantine-color-teal-filled-hover': '#066649',
  },
  dark: {},
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <App />
    </MantineProvider>
  </StrictMode>,
);
