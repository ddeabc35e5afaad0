// Terminal.Gui keeps a little process-wide state (default key bindings, the model-usage guard): one app at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
