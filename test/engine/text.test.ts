import { describe, expect, it } from 'vitest';
import { clipText } from '../../src/engine/text.js';
import { trimEndMatching, withoutTrailingSlashes } from '../../src/lib/text.js';

describe('clipText', () => {
  it('keeps a text within the limit as it is', () => {
    expect(clipText('short', 10)).toBe('short');
  });

  it('keeps three quarters from the start and the rest from the end, exactly the limit long', () => {
    const text = `${'a'.repeat(50)}${'b'.repeat(100)}${'c'.repeat(50)}`;
    const clipped = clipText(text, 100);
    expect(clipped).toHaveLength(100);
    expect(clipped.startsWith('a'.repeat(50) + 'b'.repeat(25) + '\n')).toBe(true);
    expect(clipped.endsWith('c'.repeat(24))).toBe(true);
  });
});

describe('trimEndMatching', () => {
  it('removes the run of matching characters at the end only', () => {
    expect(trimEndMatching('Jane Smith.!,', /[.!,]/)).toBe('Jane Smith');
    expect(trimEndMatching('a.b', /[.]/)).toBe('a.b');
    expect(trimEndMatching('...', /[.]/)).toBe('');
    expect(trimEndMatching('', /[.]/)).toBe('');
    expect(withoutTrailingSlashes('https://api.example.com/v1///')).toBe('https://api.example.com/v1');
  });
});
