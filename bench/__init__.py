"""Scale benchmarks: a national-size data set on PostgreSQL, concurrent load on loopback, the
country-wide batch operations and the PDF throughput, each as a ratio to a floor measured in the
same run, at several sizes so that the growth exponent can be read off. Entry point:
`./dev.sh bench [--quick]` (see README)."""
