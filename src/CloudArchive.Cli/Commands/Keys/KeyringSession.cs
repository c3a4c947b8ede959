using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.KeyVault;
using CloudArchive.Azure.Keys;
using CloudArchive.Cli.Commands.Audit;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;

namespace CloudArchive.Cli.Commands.Keys;

/// <summary>
/// The keyring as the function app composes it (same store, key provider, legal-hold query and audit sink),
/// for the key-administration commands. Key operations are audited under actor <c>cli:cloudarchive</c>.
/// </summary>
internal sealed class KeyringSession : IDisposable
{
    private readonly IDisposable? _provider;
    private readonly AuditLogWriter _writer;

    private KeyringSession(Keyring keyring, IDisposable? provider, AuditLogWriter writer)
    {
        Keyring = keyring;
        _provider = provider;
        _writer = writer;
    }

    public Keyring Keyring { get; }

    public static KeyringSession Open(ArchiveSettings settings)
    {
        var connection = settings.Connect();
        var provider = CreateProvider(settings);
        var writer = new AuditLogWriter(
            new BlobAuditLogStore(connection.Blobs.GetContainer(settings.Container("Audit"))),
            AuditBlobName.WriterIdFrom("cli-" + Environment.MachineName + "-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            TimeProvider.System);
        var keyring = new Keyring(
            new BlobKeyringStore(connection, new BlobKeyringStoreOptions { ContainerName = settings.Container("Keyring") }),
            provider,
            new TagLegalHoldQuery(connection.Blobs.GetContainer(settings.Container("Archive"))),
            new AuditLogKeyAuditSink(writer, new AuditActor(AuditLogAccess.Actor, app: "cloudarchive-cli")));
        return new KeyringSession(keyring, provider as IDisposable, writer);
    }

    public void Dispose()
    {
        Keyring.Dispose();
        _provider?.Dispose();
        _writer.Dispose();
    }

    internal static IKeyEncryptionKeyProvider CreateProvider(ArchiveSettings settings)
    {
        switch (settings["CloudArchive:Keys:Provider"]?.ToLowerInvariant())
        {
            case "local":
                var path = settings["CloudArchive:Keys:LocalKeyFile"] ?? throw new UsageException("CloudArchive__Keys__LocalKeyFile is not set.");
                var full = Path.GetFullPath(path);
                if (!Directory.Exists(full))
                {
                    // Never create a fresh key here: a new key cannot unwrap the existing keyring.
                    throw new UsageException($"The local key directory {full} does not exist.");
                }

                return new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = full });
            case "keyvault":
                if (!Uri.TryCreate(settings["CloudArchive:Keys:KeyId"], UriKind.Absolute, out var keyUri) || keyUri.Scheme != Uri.UriSchemeHttps)
                {
                    throw new UsageException("CloudArchive__Keys__KeyId must be the https URI of the Key Vault key.");
                }

                var client = new KeyVaultKeyClient(new Uri(keyUri.GetLeftPart(UriPartial.Authority)), new global::Azure.Identity.DefaultAzureCredential());
                return new KeyVaultKeyEncryptionKeyProvider(client, new KeyVaultKekOptions { KeyUri = keyUri });
            default:
                throw new UsageException("CloudArchive__Keys__Provider must be Local or KeyVault.");
        }
    }
}
