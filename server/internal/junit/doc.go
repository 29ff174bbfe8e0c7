// Package junit writes claudemock's verdicts as JUnit XML, so that a CI
// system shows each expectation as a test: one <testsuite> per report and
// one <testcase> per check, a failed one carrying its summary and one line
// per violation. The output follows the Apache Ant schema most CI systems
// read (server/testdata/junit/JUnit.xsd).
//
// It is its own package rather than part of expect because it is one
// rendering of a verdict for one kind of reader, as the JSON report is
// another: expect judges a journal and knows nothing of XML or CI, and this
// package judges nothing. It knows nothing of HTTP either, nor of the
// server's public Report type: the server converts its reports into Suites.
package junit
