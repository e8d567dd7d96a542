/** A decorative busy indicator; the text next to it says what is happening. */
export function Spinner({ small = false }: { small?: boolean }) {
  return <span className={small ? 'spinner small' : 'spinner'} aria-hidden="true" />;
}
