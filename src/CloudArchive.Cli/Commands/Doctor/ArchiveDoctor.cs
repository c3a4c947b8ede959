using Azure.Core;
using Azure.Identity;
using CloudArchive.Azure.Storage;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Cli.Commands.Status;
using CloudArchive.Core.Policies;

namespace CloudArchive.Cli.Commands.Doctor;

/// <summary>
/// Configuration and connectivity checks: storage configured, reachable and accepting our credentials,
/// containers and queues present, key provider configured (a local key is a warning: insecure), policies
/// load and validate; against a deployed archive also the platform controls infra/ sets (Shared Key off, WORM on
/// audit, no soft delete for the keyring, purge protection, HTTPS only). Never prints a secret: only where a setting
/// came from and what is wrong with it.
/// </summary>
internal static class ArchiveDoctor
{
    // The raw platform probes (Shared Key, http) carry no credential; a short timeout keeps a closed network quick to report.
    private static readonly HttpClient ProbeClient = new() { Timeout = TimeSpan.FromSeconds(15) };

    public static async Task<IReadOnlyList<DoctorCheck>> RunAsync(ArchiveSettings settings, string baseDirectory, CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        var connection = await CheckStorageAsync(settings, checks, cancellationToken).ConfigureAwait(false);
        CheckKeys(settings, baseDirectory, checks);
        await CheckPoliciesAsync(settings, baseDirectory, checks, cancellationToken).ConfigureAwait(false);
        if (connection is not null)
        {
            checks.AddRange(await CheckPlatformAsync(settings, connection, cancellationToken).ConfigureAwait(false));
        }

        return checks;
    }

    /// <summary>
    /// The platform controls of a deployed archive; against the local emulator (<see cref="StorageConnection.IsLocalEmulator"/>)
    /// they do not apply and are reported as skipped.
    /// </summary>
    internal static async Task<IReadOnlyList<DoctorCheck>> CheckPlatformAsync(ArchiveSettings settings, StorageConnection connection, CancellationToken cancellationToken)
    {
        if (connection.IsLocalEmulator)
        {
            return PlatformControls.NotApplicable("the local emulator (Azurite) has no such platform control");
        }

        TokenCredential? credential = null;
        TokenCredential Credential() => credential ??= new DefaultAzureCredential();
        StorageConnection? keyring;
        try
        {
            keyring = StorageConnection.ForKeyring(connection, StorageOptions.FromSettings(key => settings[key]), Credential);
        }
        catch (Exception ex) when (ex is UriFormatException or FormatException or ArgumentException or InsecureStorageTransportException)
        {
            keyring = null; // reported by the soft-delete check as unreadable, with its fix
        }

        var kekId = string.Equals(settings["CloudArchive:Keys:Provider"], "KeyVault", StringComparison.OrdinalIgnoreCase) ? settings["CloudArchive:Keys:KeyId"] ?? string.Empty : null;
        var probe = new AzurePlatformProbe(connection, keyring, settings.Container("Audit"), kekId, Credential, ProbeClient);
        return await PlatformControls.EvaluateAsync(probe, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<StorageConnection?> CheckStorageAsync(ArchiveSettings settings, List<DoctorCheck> checks, CancellationToken cancellationToken)
    {
        StorageConnection connection;
        try
        {
            connection = settings.Connect();
            checks.Add(new("storage", "configuration", DoctorSeverity.Ok, $"connection from {settings.Source}; blob endpoint {connection.BlobServiceUri.GetLeftPart(UriPartial.Path)}"));
            checks.Add(new("storage", "transport", DoctorSeverity.Ok, DescribeTransport(connection)));
        }
        catch (InsecureStorageTransportException ex)
        {
            // Refused before any request: the secret has not been sent.
            checks.Add(new("storage", "transport", DoctorSeverity.Fail, ex.Message));
            return null;
        }
        catch (Exception ex) when (ex is UsageException or FormatException or ArgumentException)
        {
            checks.Add(new("storage", "configuration", DoctorSeverity.Fail, ex.Message));
            return null;
        }

        var first = true;
        foreach (var role in ArchiveStatusReader.ContainerRoles)
        {
            var name = settings.Container(role);
            try
            {
                var exists = await ArchiveStatusReader.ExistsAsync(connection.Blobs.GetBlobContainerClient(name), cancellationToken).ConfigureAwait(false);
                if (first)
                {
                    checks.Add(new("storage", "reachable and authorized", DoctorSeverity.Ok, "blob service answered an authenticated request"));
                    first = false;
                }

                checks.Add(new("storage", $"container {name}", exists ? DoctorSeverity.Ok : DoctorSeverity.Fail, exists ? "exists" : $"missing (role {role}); `cloudarchive dev up` creates it locally"));
            }
            catch (StorageRequestException ex) when (ex.IsUnreachable)
            {
                // StorageCall reports "no response after the retries" as status 0, not as a transport exception.
                checks.Add(new("storage", "reachable and authorized", DoctorSeverity.Fail, $"not reachable ({ex.Message}); is Azurite running?"));
                return null;
            }
            catch (StorageRequestException ex)
            {
                checks.Add(new("storage", "reachable and authorized", DoctorSeverity.Fail,
                    ex.IsAuthenticationFailure ? $"the account rejected our credentials ({ex.Status} {ex.ErrorCode})" : $"{ex.Operation} answered {ex.Status} {ex.ErrorCode}"));
                return null;
            }
            catch (Exception ex) when (OperationsRunner.IsTransportFailure(ex))
            {
                checks.Add(new("storage", "reachable and authorized", DoctorSeverity.Fail, $"not reachable ({OperationsRunner.ReachabilityReason(ex)}); is Azurite running?"));
                return null;
            }
        }

        foreach (var queue in ArchiveStatusReader.QueueNames)
        {
            try
            {
                await ArchiveStatusReader.ApproximateMessageCountAsync(connection.Queues.GetQueueClient(queue), cancellationToken).ConfigureAwait(false);
                checks.Add(new("storage", $"queue {queue}", DoctorSeverity.Ok, "exists"));
            }
            catch (StorageRequestException ex) when (ex.IsNotFound)
            {
                checks.Add(new("storage", $"queue {queue}", DoctorSeverity.Fail, "missing"));
            }
            catch (StorageRequestException ex)
            {
                checks.Add(new("storage", $"queue {queue}", DoctorSeverity.Fail, $"{ex.Status} {ex.ErrorCode}"));
            }
        }

        return connection;
    }

    private static void CheckKeys(ArchiveSettings settings, string baseDirectory, List<DoctorCheck> checks)
    {
        var provider = settings["CloudArchive:Keys:Provider"];
        switch (provider?.ToLowerInvariant())
        {
            case null:
                checks.Add(new("keys", "provider", DoctorSeverity.Fail, "CloudArchive__Keys__Provider is not set (KeyVault or Local)"));
                break;
            case "keyvault":
                var keyId = settings["CloudArchive:Keys:KeyId"];
                checks.Add(Uri.TryCreate(keyId, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
                    ? new("keys", "provider", DoctorSeverity.Ok, $"Key Vault key {uri.GetLeftPart(UriPartial.Path)}")
                    : new("keys", "provider", DoctorSeverity.Fail, "CloudArchive__Keys__KeyId must be the https URI of the Key Vault key"));
                break;
            case "local":
                var path = settings["CloudArchive:Keys:LocalKeyFile"];
                if (path is null)
                {
                    checks.Add(new("keys", "local key", DoctorSeverity.Fail, "CloudArchive__Keys__LocalKeyFile is not set"));
                    break;
                }

                var full = Path.GetFullPath(path, baseDirectory);
                var present = File.Exists(full) || (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any());
                checks.Add(present
                    ? new("keys", "local key", DoctorSeverity.Warn, $"INSECURE: local key-encryption key at {full} (development only; use Key Vault or Managed HSM in production)")
                    : new("keys", "local key", DoctorSeverity.Fail, $"no local key at {full}; `cloudarchive dev up` generates one"));
                break;
            default:
                checks.Add(new("keys", "provider", DoctorSeverity.Fail, $"unknown CloudArchive__Keys__Provider '{provider}' (KeyVault or Local)"));
                break;
        }
    }

    private static async Task CheckPoliciesAsync(ArchiveSettings settings, string baseDirectory, List<DoctorCheck> checks, CancellationToken cancellationToken)
    {
        var retention = IngestPolicies.SplitFileList(settings["CloudArchive:Policies:RetentionFiles"], baseDirectory);
        var minimization = settings["CloudArchive:Policies:MinimizationFile"] is { } m ? Path.GetFullPath(m, baseDirectory) : null;
        if (retention.Count == 0)
        {
            checks.Add(new("policies", "retention", DoctorSeverity.Fail, "CloudArchive__Policies__RetentionFiles is not set"));
            return;
        }

        try
        {
            _ = await IngestPolicies.LoadAsync(retention, minimization, cancellationToken).ConfigureAwait(false);
            checks.Add(new("policies", "retention and minimization", DoctorSeverity.Ok, $"{retention.Count} retention file(s) and the minimization policy load and validate"));
        }
        catch (PolicyValidationException ex)
        {
            checks.Add(new("policies", "retention and minimization", DoctorSeverity.Fail, ex.Message));
        }
    }

    private static string DescribeTransport(StorageConnection connection)
    {
        var credential = connection.CredentialKind switch
        {
            StorageCredentialKind.SharedKey => "Shared Key",
            StorageCredentialKind.SharedAccessSignature => "SAS",
            _ => "Entra ID",
        };
        return connection.BlobServiceUri.Scheme == Uri.UriSchemeHttps
            ? $"{credential} over https"
            : $"{credential} over plain http, allowed only because the endpoint is this machine or Azurite's development account";
    }
}
