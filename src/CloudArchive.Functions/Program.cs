using CloudArchive.Functions.Hosting;
using CloudArchive.Functions.LocalHost;

// Under the Functions host (in Azure, or `func start`) this is an isolated worker that talks to the host over gRPC.
// Without the host (dev up, tests) LocalHost:Enabled starts the in-process local host, which runs the same function
// classes through the same middleware (docs/local-dev.md).
if (LocalHostApp.IsRequested(args))
{
    await using var local = LocalHostApp.Build(args);
    await local.RunAsync().ConfigureAwait(false);
}
else
{
    using var worker = WorkerHost.Build(args);
    await worker.RunAsync().ConfigureAwait(false);
}
