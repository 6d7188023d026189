import * as DialogPrimitive from '@radix-ui/react-dialog';
import { MenuIcon, XIcon } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../ui/button.tsx';
import { Brand } from './brand.tsx';
import { NavLinks } from './nav-links.tsx';

/** On narrow screens the sidebar is a drawer: a dialog, so focus and Escape work as in any other. */
export function MobileNav({ projectId }: { projectId: string | undefined }) {
  const [open, setOpen] = useState(false);
  return (
    <DialogPrimitive.Root open={open} onOpenChange={setOpen}>
      <DialogPrimitive.Trigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open navigation">
          <MenuIcon />
        </Button>
      </DialogPrimitive.Trigger>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-black/50" />
        <DialogPrimitive.Content className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col overflow-y-auto border-r bg-sidebar p-3 shadow-lg">
          <DialogPrimitive.Title className="sr-only">Navigation</DialogPrimitive.Title>
          <DialogPrimitive.Description className="sr-only">
            The console's sections
          </DialogPrimitive.Description>
          <div className="flex h-10 items-center justify-between px-1">
            <Brand />
            <DialogPrimitive.Close asChild>
              <Button variant="ghost" size="icon" aria-label="Close navigation">
                <XIcon />
              </Button>
            </DialogPrimitive.Close>
          </div>
          <nav aria-label="Sections" className="mt-2 grid">
            <NavLinks projectId={projectId} onNavigate={() => setOpen(false)} />
          </nav>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
