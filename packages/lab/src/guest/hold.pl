# Long-lived connections through a VIP, for failover tests (uploaded by src/failover.ts; runs in a
# client namespace). hold.pl HOST PATH COUNT STOPFILE PORTFILE MAX_S: COUNT downloads of PATH
# from HOST:80, each read slowly (1 KiB per 100 ms, small receive buffer, so the client keeps
# sending ACKs through the director) until STOPFILE exists (at most MAX_S), then to the end.
# Their local ports go to PORTFILE once all are connected. One line per download:
# "<local port> ok <body bytes>" when the whole body arrived, else
# "<local port> broken <body bytes> <error>".
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use Socket;
use Time::HiRes qw(time sleep);

my ($host, $path, $count, $stop, $portfile, $max) = @ARGV;
$| = 1;
my @conns;
for (1 .. $count) {
  my $s = IO::Socket::INET->new(Proto => 'tcp') or die "socket: $!";
  # Before connect, so the advertised window stays small.
  setsockopt($s, SOL_SOCKET, SO_RCVBUF, 4096) or die "rcvbuf: $!";
  $s->connect(pack_sockaddr_in(80, inet_aton($host))) or die "connect: $!";
  print $s "GET $path HTTP/1.0\r\n\r\n";
  push @conns, { s => $s, port => $s->sockport, data => '', err => '' };
}
open(my $ports, '>', "$portfile.tmp") or die "$portfile: $!";
print $ports map { "$_->{port}\n" } @conns;
close $ports;
rename "$portfile.tmp", $portfile or die "$portfile: $!";

sub pull {
  my ($c, $size) = @_;
  my $n = sysread($c->{s}, my $buf, $size);
  if (!defined $n) { $c->{err} = "$!"; $c->{done} = 1; return }
  if ($n == 0) { $c->{done} = 1; return }
  $c->{data} .= $buf;
}

my $end = time + $max;
while (time < $end && !-e $stop) {
  for my $c (grep { !$_->{done} } @conns) {
    pull($c, 1024) if IO::Select->new($c->{s})->can_read(0);
  }
  sleep 0.1;
}
# After a failover the server may be in retransmission backoff: allow it a while.
for my $c (@conns) {
  while (!$c->{done}) {
    if (!IO::Select->new($c->{s})->can_read(15)) { $c->{err} = 'stalled'; last }
    pull($c, 65536);
  }
  my ($head, $body) = split /\r\n\r\n/, $c->{data}, 2;
  $body //= '';
  my ($len) = ($head // '') =~ /Content-Length: (\d+)/i;
  my $ok = defined $len && length($body) == $len && $c->{err} eq '';
  printf "%d %s %d %s\n", $c->{port}, $ok ? 'ok' : 'broken', length($body), $c->{err};
}
