// Package examples holds the CI recipes users copy (GitHub Actions, GitLab
// CI) and the specs that keep them, and the repository's composite action
// (action.yml at the root), working: the action's shell steps are run for
// real against a local build.
package examples
