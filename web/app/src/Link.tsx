import { Anchor, type AnchorProps } from '@mantine/core';
import type { MouseEvent, ReactNode } from 'react';
import { navigate } from './router';

/** An ordinary link (it opens in a new tab, it is announced as a link) that changes page without a reload. */
export function followLink(event: MouseEvent<HTMLElement>, href: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(href);
}

export function Link({ href, children, ...props }: AnchorProps & { href: string; children: ReactNode }) {
  return (
    <Anchor href={href} onClick={(event) => followLink(event, href)} {...props}>
      {children}
    </Anchor>
  );
}
