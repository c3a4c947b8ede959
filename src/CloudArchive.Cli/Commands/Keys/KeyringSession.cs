using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Keys;

namespace CloudArchive.Cli.Commands.Keys;

/// <summary>
/// The keyring as the function app composes it (same store, key provider, legal-hold query and audit sink: one
/// composition root), for the key-administration commands. Key operations are audited under actor <c>cli:cloudarchive</c>.
/// </summary>
internal sealed class KeyringSession : IDisposable
{
    private readonly ArchiveServices _services;

    private KeyringSession(ArchiveServices services)
    {
        _services = services;
        Keyring = services.Get<Keyring>();
    }

    public Keyring Keyring { get; }

    public static KeyringSession Open(ArchiveSettings settings)
    {
        var services = ArchiveServices.Open(settings);
        try
        {
            return new KeyringSession(services);
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    public void Dispose() => _services.Dispose();
}
