// The real registry, dockerd and podman share two cores: classes run one after another, so a
// slow machine never turns into a timeout, and each class's processes are gone before the next starts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
