# A client's view of a failover (uploaded by src/failover.ts; runs in a client namespace).
# probe.pl HOST STOPFILE INTERVAL_MS TIMEOUT_MS MAX_S: a fresh HTTP/1.0 GET of / on HOST:80
# every INTERVAL_MS until STOPFILE exists (at most MAX_S), each given TIMEOUT_MS in all; one
# process, so the interval is not eaten by process start-up (~0.15 s under TCG). One line per
# request: "<epoch ms when done> ok <body>" or "<epoch ms when done> fail".
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use Time::HiRes qw(time sleep);

my ($host, $stop, $interval, $timeout, $max) = @ARGV;
$interval /= 1000;
$timeout /= 1000;
$| = 1;
my $end = time + $max;
while (time < $end && !-e $stop) {
  my $t0 = time;
  my $body;
  my $s = IO::Socket::INET->new(PeerAddr => $host, PeerPort => 80, Proto => 'tcp', Timeout => $timeout);
  if ($s) {
    print $s "GET / HTTP/1.0\r\n\r\n";
    my $sel = IO::Select->new($s);
    my $resp = '';
    while ((my $left = $t0 + $timeout - time) > 0) {
      last unless $sel->can_read($left);
      my $n = sysread($s, my $buf, 4096);
      last unless $n;
      $resp .= $buf;
    }
    $body = $1 if $resp =~ m{^HTTP/1\.\d 200 .*?\r\n\r\n(\S+)}s;
    close $s;
  }
  printf "%d %s\n", time * 1000, defined $body ? "ok $body" : "fail";
  my $wait = $t0 + $interval - time;
  sleep $wait if $wait > 0;
}
