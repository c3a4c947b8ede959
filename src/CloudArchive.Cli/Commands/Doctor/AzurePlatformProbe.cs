using System.Globalization;
using Azure;
using Azure.Core;
using CloudArchive.Azure.KeyVault;
using CloudArchive.Azure.Storage;

namespace CloudArchive.Cli.Commands.Doctor;

/// <summary>
/// Reads the platform controls of a deployed archive on the data plane, with the operator's own credential and no
/// management (ARM) permission: Shared Key and HTTPS-only from how the accounts answer deliberately unusable requests,
/// the audit container's <c>x-ms-has-immutability-policy</c>, the keyring account's Get Blob Service Properties, and
/// the KEK's <c>recoveryLevel</c>. No secret is sent: the Shared Key probe carries a signature of zero bytes and the
/// http probe carries no credential at all.
/// </summary>
internal sealed class AzurePlatformProbe : IPlatformProbe
{
    private readonly StorageConnection _data;
    private readonly StorageConnection? _keyring;
    private readonly string _auditContainer;
    private readonly string? _kekId;
    private readonly Func<TokenCredential> _credential;
    private readonly HttpClient _http;

    /// <param name="data">The data account.</param>
    /// <param name="keyring">The keyring's account (the data account when the keyring is not separate; null when its setting is unusable).</param>
    /// <param name="auditContainer">The audit container's name.</param>
    /// <param name="kekId">The Key Vault key id of the KEK, or null when the archive uses a local KEK.</param>
    /// <param name="credential">The operator's Entra ID credential (created on first use).</param>
    /// <param name="http">A client for the two raw probes (no credential handler attached).</param>
    public AzurePlatformProbe(StorageConnection data, StorageConnection? keyring, string auditContainer, string? kekId, Func<TokenCredential> credential, HttpClient http)
    {
        _data = data;
        _keyring = keyring;
        _auditContainer = auditContainer;
        _kekId = kekId;
        _credential = credential;
        _http = http;
    }

    public async Task<PlatformReading> SharedKeyDisabledAsync(CancellationToken cancellationToken)
    {
        if (_data.AccountName is not { Length: > 0 } account)
        {
            return PlatformReading.Unreadable("the account name is not known");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_data.BlobServiceUri, "?comp=list&maxresults=1"));
        request.Headers.TryAddWithoutValidation("x-ms-version", _data.Options.ServiceVersion);
        request.Headers.TryAddWithoutValidation("x-ms-date", DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture));
        // Shaped like a Shared Key signature, but it is 32 zero bytes: nothing of any key is known or sent.
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKey {account}:{Convert.ToBase64String(new byte[32])}");
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return PlatformControls.SharedKeyFromResponse((int)response.StatusCode, ErrorCode(response));
        }
        catch (HttpRequestException ex)
        {
            return PlatformReading.Unreadable($"{account}: no answer ({ex.HttpRequestError})");
        }
    }

    public async Task<PlatformReading> AuditImmutableAsync(CancellationToken cancellationToken)
    {
        try
        {
            var properties = await _data.Blobs.GetBlobContainerClient(_auditContainer).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return PlatformControls.AuditImmutabilityFromHeader(_auditContainer, properties.Value.HasImmutabilityPolicy);
        }
        catch (RequestFailedException ex)
        {
            return PlatformReading.Unreadable($"Get Container Properties of {_auditContainer} answered {ex.Status} {ex.ErrorCode}");
        }
    }

    public async Task<PlatformReading> KeyringSoftDeleteOffAsync(CancellationToken cancellationToken)
    {
        if (_keyring is null)
        {
            return PlatformReading.Unreadable("CloudArchive__Storage__KeyringServiceUri is not a usable https endpoint");
        }

        var account = _keyring.AccountName ?? _keyring.BlobServiceUri.Host;
        try
        {
            var properties = await _keyring.Blobs.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            var policy = properties.Value.DeleteRetentionPolicy;
            return PlatformControls.KeyringSoftDeleteFromPolicy(account, policy?.Enabled == true, policy?.Days);
        }
        catch (RequestFailedException ex)
        {
            // Get Blob Service Properties is an account-level read: a container-scoped data role is not enough.
            return PlatformReading.Unreadable($"Get Blob Service Properties of {account} answered {ex.Status} {ex.ErrorCode} (it needs an account-level role; or check the account in the portal)");
        }
    }

    public async Task<PlatformReading> PurgeProtectionAsync(CancellationToken cancellationToken)
    {
        if (_kekId is null)
        {
            return PlatformReading.NotApplicable("the archive uses a local KEK, there is no Key Vault");
        }

        if (!KeyVaultKeyIdentifier.TryParse(_kekId, out var id))
        {
            return PlatformReading.Unreadable("CloudArchive__Keys__KeyId is not a Key Vault key id");
        }

        try
        {
            var client = new KeyVaultKeyClient(id.VaultUri, _credential());
            var key = await client.GetKeyAsync(id.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return PlatformControls.PurgeProtectionFromRecoveryLevel($"{id.VaultUri.Host}/keys/{id.Name}", key.RecoveryLevel);
        }
        catch (KeyVaultException ex)
        {
            return PlatformReading.Unreadable($"Get Key answered {ex.Status} {ex.ErrorCode} (reading it needs the key's get permission)");
        }
    }

    public async Task<PlatformReading> HttpsOnlyAsync(CancellationToken cancellationToken)
    {
        var readings = new List<PlatformReading> { await HttpProbeAsync(_data, cancellationToken).ConfigureAwait(false) };
        if (_keyring is not null && _keyring.BlobServiceUri != _data.BlobServiceUri)
        {
            readings.Add(await HttpProbeAsync(_keyring, cancellationToken).ConfigureAwait(false));
        }

        var observed = string.Join("; ", readings.Select(r => r.Observed));
        return readings.Any(r => r.Hardened == false) ? PlatformReading.Missing(observed)
            : readings.All(r => r.Hardened == true) ? PlatformReading.InPlace(observed)
            : PlatformReading.Unreadable(observed);
    }

    private async Task<PlatformReading> HttpProbeAsync(StorageConnection connection, CancellationToken cancellationToken)
    {
        var account = connection.AccountName ?? connection.BlobServiceUri.Host;
        // No credential of any kind on this request: it travels in the clear by design.
        var plain = new UriBuilder(connection.BlobServiceUri) { Scheme = Uri.UriSchemeHttp, Port = -1, Query = "comp=list&maxresults=1" }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, plain);
        request.Headers.TryAddWithoutValidation("x-ms-version", connection.Options.ServiceVersion);
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return PlatformControls.HttpsOnlyFromResponse(account, (int)response.StatusCode, ErrorCode(response));
        }
        catch (HttpRequestException ex)
        {
            return PlatformReading.Unreadable($"{account}: no answer over http ({ex.HttpRequestError})");
        }
    }

    private static string? ErrorCode(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-ms-error-code", out var values) ? values.FirstOrDefault() : null;
}
