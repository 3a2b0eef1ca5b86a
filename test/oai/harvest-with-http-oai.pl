#!/usr/bin/perl
# Harvests an OAI-PMH repository with Debian's HTTP::OAI (libhttp-oai-perl), following
# resumption tokens by hand so the number of requests is known.
# Usage: harvest-with-http-oai.pl BASE_URL METADATA_PREFIX
# Prints one line per record ("live <identifier>" or "deleted <identifier>"), then
# "pages <n>"; exits non-zero on any OAI or HTTP error.
use strict;
use warnings;
use HTTP::OAI;

my ($base_url, $prefix) = @ARGV;
die "usage: $0 BASE_URL METADATA_PREFIX\n" unless defined $prefix;
binmode STDOUT, ':encoding(UTF-8)';

my $harvester = HTTP::OAI::Harvester->new(baseURL => $base_url, resume => 0);
my %arguments = (metadataPrefix => $prefix);
my $pages = 0;
while (1) {
  my $response = $harvester->ListRecords(%arguments);
  die 'ListRecords failed: ' . $response->code . ' ' . $response->message . "\n" if $response->is_error;
  $pages++;
  while (my $record = $response->next) {
    printf "%s %s\n", ($record->is_deleted ? 'deleted' : 'live'), $record->identifier;
  }
  die 'ListRecords failed: ' . $response->message . "\n" if $response->is_error;
  my $token = $response->resumptionToken;
  last unless defined $token && defined $token->resumptionToken && $token->resumptionToken ne '';
  %arguments = (resumptionToken => $token->resumptionToken);
}
print "pages $pages\n";
