export function HostsPage() {
  return <p>Hosts</p>;
}
