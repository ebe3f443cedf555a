// Package deploy holds Harbordesk's production deployment: the compose file
// for the full stack, the container image build and the Kubernetes manifests.
// It has no Go code of its own; its tests parse every manifest and check the
// structure the runbook relies on (probes, resources, non-root, images, the
// environment the binary reads, disruption budgets matching their pods).
package deploy
