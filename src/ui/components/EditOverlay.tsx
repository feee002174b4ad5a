import { PasswordInput } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useCallback, useRef } from 'react';
import type { Overlay, SessionCommand } from '../../core/session.ts';
import { oneLine } from '../text.ts';
import { useTheme } from '../theme.tsx';
import { useKeyBindings } from '../use-key-bindings.ts';

export interface EditOverlayProps {
  /** The edit overlay's state: fields with masked values and suggested fixes. */
  overlay: Extract<Overlay, { kind: 'edit' }>;
  /** Lines available. */
  height: number;
  /** Commands from this overlay's keys; `edit-submit` carries what was typed. */
  onCommand: (command: SessionCommand, typed?: string) => void;
  /** Owns the keyboard. @default true */
  isActive?: boolean;
}

/**
 * Edit a credential or header in place: pick a suggested fix (the damage the checks found) or type
 * a new value into a masked input. What is typed lives only in this component until Enter.
 */
export function EditOverlay({ overlay, height, onCommand, isActive = true }: EditOverlayProps) {
  const theme = useTheme();
  const typed = useRef('');
  const field = overlay.fields[overlay.field];
  const onChange = useCallback((value: string) => {
    typed.current = value;
  }, []);
  useKeyBindings({
    context: 'edit',
    isActive,
    onCommand: (command) => {
      if (command === 'edit-submit') onCommand(command, typed.current);
      else {
        if (command === 'edit-next-field') typed.current = '';
        onCommand(command);
      }
    },
  });
  if (!field) {
    return (
      <Box height={height} flexDirection="column">
        <Text>There is no header to edit. Esc goes back.</Text>
      </Box>
    );
  }
  const placeholder = field.schemeWord ? `type a new credential: sent as "${field.schemeWord} <what you type>"` : `type a new value for ${field.name}`;
  return (
    <Box flexDirection="column" height={height} flexShrink={0} overflow="hidden">
      <Text bold wrap="truncate-end">
        Edit a header <Text dimColor>— Enter applies and retries · Esc cancels</Text>
      </Text>
      {overlay.reason ? (
        <Text wrap="truncate-end" color={theme.colorOf('fail')}>
          ✖ {oneLine(overlay.reason)}
        </Text>
      ) : null}
      <Text wrap="truncate-end">
        <Text dimColor>header {overlay.field + 1}/{overlay.fields.length} </Text>
        <Text bold color={theme.colorOf('accent')}>
          {field.name}
        </Text>
        {overlay.fields.length > 1 ? <Text dimColor> (Tab: next header)</Text> : null}
      </Text>
      <Text wrap="truncate-end">
        <Text dimColor>  now   </Text>
        {oneLine(field.current)}
      </Text>
      <Text> </Text>
      {field.suggestions.length ? (
        <>
          <Text bold>Suggested fix{field.suggestions.length > 1 ? 'es (↑/↓ choose)' : ''}:</Text>
          {field.suggestions.map((s, i) => (
            <Box key={s.label} flexDirection="column">
              <Text wrap="truncate-end" inverse={i === overlay.suggestion}>
                {i === overlay.suggestion ? '› ' : '  '}
                {s.label}
              </Text>
              {i === overlay.suggestion ? (
                <Text wrap="truncate-end" dimColor>
                  {'    → '}
                  {oneLine(s.preview)}
                </Text>
              ) : null}
            </Box>
          ))}
          <Text> </Text>
          <Text dimColor>Or type a new value (Enter with nothing typed applies the fix):</Text>
        </>
      ) : (
        <Text dimColor>No suggested fix for this header. Type a new value:</Text>
      )}
      <Box>
        <Text color={theme.colorOf('accent')}>{'> '}</Text>
        <PasswordInput key={overlay.field} placeholder={placeholder} onChange={onChange} isDisabled={!isActive} />
      </Box>
      {overlay.note ? (
        <Text wrap="wrap" color={theme.colorOf('warn')}>
          {overlay.note}
        </Text>
      ) : null}
    </Box>
  );
}
