using CloudArchive.Azure.Composition;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// Stops the local host at start-up when it trusts the development token issuer but Kestrel listens on an address
/// other machines can reach. The settings check (<see cref="AuthSettings"/>) sees the configured URLs; this sees what
/// Kestrel actually bound, whatever configured it (Kestrel endpoints, ports variables).
/// </summary>
internal sealed class LoopbackListenCheck(IServer server) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (addresses.Count == 0 || !addresses.All(AuthSettings.IsLoopbackUrl))
        {
            throw new ArchiveConfigurationException("authentication", [$"{AuthSettings.DevelopmentIssuerKeyDirectoryKey} is set (the insecure development token issuer), but the local host listens on a non-loopback address: listen on 127.0.0.1, [::1] or localhost only."]);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
