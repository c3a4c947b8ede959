namespace CloudArchive.Cli.Commands.Doctor;

/// <summary>
/// How doctor judges the platform controls of a deployed archive: pure functions from what a probe saw (status codes,
/// error codes, properties) to a <see cref="PlatformReading"/>, and from the readings to checks with their fixes.
/// </summary>
internal static class PlatformControls
{
    public const string Area = "platform";

    public const string SharedKey = "Shared Key disabled";
    public const string AuditImmutability = "immutability on audit";
    public const string KeyringSoftDelete = "keyring soft delete off";
    public const string PurgeProtection = "Key Vault purge protection";
    public const string HttpsOnly = "HTTPS only";

    /// <summary>The fix printed under a failed check (infra/ sets every one of these; the commands repair a deployment made otherwise).</summary>
    public static string FixFor(string check) => check switch
    {
        SharedKey => "az storage account update -g <rg> -n <data account> --allow-shared-key-access false (infra/modules/data-storage.bicep sets allowSharedKeyAccess: false)",
        AuditImmutability => "az storage container immutability-policy create -g <rg> --account-name <data account> -c audit --period <days> --allow-protected-append-writes-all true (infra/modules/data-storage.bicep)",
        KeyringSoftDelete => "keep the keyring in an account of its own with soft delete off: az storage account blob-service-properties update -g <rg> -n <keyring account> --enable-delete-retention false --enable-versioning false, and set CloudArchive__Storage__KeyringServiceUri (infra/modules/keyring-storage.bicep)",
        PurgeProtection => "az keyvault update -g <rg> -n <vault> --enable-purge-protection true (irreversible, as intended; infra/modules/key-vault.bicep)",
        HttpsOnly => "az storage account update -g <rg> -n <account> --https-only true --min-tls-version TLS1_2 (both accounts; infra/ sets supportsHttpsTrafficOnly: true)",
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "not a platform control"),
    };

    /// <summary>All five checks as "not applicable", e.g. against the local emulator.</summary>
    public static IReadOnlyList<DoctorCheck> NotApplicable(string reason) =>
        [.. new[] { SharedKey, AuditImmutability, KeyringSoftDelete, PurgeProtection, HttpsOnly }.Select(c => new DoctorCheck(Area, c, DoctorSeverity.Skipped, $"not applicable: {reason}"))];

    /// <summary>Reads each control through the probe and judges it; a probe that throws counts as unreadable.</summary>
    public static async Task<IReadOnlyList<DoctorCheck>> EvaluateAsync(IPlatformProbe probe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return
        [
            Judge(SharedKey, await ReadAsync(probe.SharedKeyDisabledAsync, cancellationToken).ConfigureAwait(false)),
            Judge(AuditImmutability, await ReadAsync(probe.AuditImmutableAsync, cancellationToken).ConfigureAwait(false)),
            Judge(KeyringSoftDelete, await ReadAsync(probe.KeyringSoftDeleteOffAsync, cancellationToken).ConfigureAwait(false)),
            Judge(PurgeProtection, await ReadAsync(probe.PurgeProtectionAsync, cancellationToken).ConfigureAwait(false)),
            Judge(HttpsOnly, await ReadAsync(probe.HttpsOnlyAsync, cancellationToken).ConfigureAwait(false)),
        ];
    }

    /// <summary>
    /// In place: OK. Missing: FAIL with the fix. Unreadable: WARN (doctor cannot vouch for it), with the fix to compare
    /// against. Not applicable: SKIPPED.
    /// </summary>
    public static DoctorCheck Judge(string check, PlatformReading reading) => reading.Applies ? reading.Hardened switch
    {
        true => new DoctorCheck(Area, check, DoctorSeverity.Ok, reading.Observed),
        false => new DoctorCheck(Area, check, DoctorSeverity.Fail, reading.Observed, FixFor(check)),
        null => new DoctorCheck(Area, check, DoctorSeverity.Warn, $"could not be read: {reading.Observed}", FixFor(check)),
    }
    : new DoctorCheck(Area, check, DoctorSeverity.Skipped, $"not applicable: {reading.Observed}");

    /// <summary>
    /// A request signed with a deliberately wrong Shared Key signature (no key is known or sent): an account with Shared
    /// Key disabled refuses it as <c>KeyBasedAuthenticationNotPermitted</c> before looking at the signature; one that
    /// allows Shared Key checks the signature and answers <c>AuthenticationFailed</c>.
    /// </summary>
    public static PlatformReading SharedKeyFromResponse(int status, string? errorCode) => (status, errorCode) switch
    {
        (403, "KeyBasedAuthenticationNotPermitted") => PlatformReading.InPlace("a Shared Key request was refused: KeyBasedAuthenticationNotPermitted"),
        (403, "AuthenticationFailed") => PlatformReading.Missing("the account evaluated a Shared Key signature: Shared Key access is allowed"),
        _ => PlatformReading.Unreadable($"a Shared Key probe answered {status} {errorCode ?? "(no error code)"}"),
    };

    /// <summary>
    /// An unauthenticated request over plain http: an HTTPS-only account answers <c>AccountRequiresHttps</c>; any answer
    /// about authentication or a missing resource means the request was processed over http.
    /// </summary>
    public static PlatformReading HttpsOnlyFromResponse(string account, int status, string? errorCode) => (status, errorCode) switch
    {
        (400, "AccountRequiresHttps") => PlatformReading.InPlace($"{account}: an http:// request was refused (AccountRequiresHttps)"),
        (_, "NoAuthenticationInformation" or "AuthenticationFailed" or "ResourceNotFound" or "ContainerNotFound") or (401, _) =>
            PlatformReading.Missing($"{account}: an http:// request was processed ({status} {errorCode})"),
        _ => PlatformReading.Unreadable($"{account}: an http:// probe answered {status} {errorCode ?? "(no error code)"}"),
    };

    /// <summary>Get Container Properties' <c>x-ms-has-immutability-policy</c>; absent counts as no policy.</summary>
    public static PlatformReading AuditImmutabilityFromHeader(string container, bool? hasImmutabilityPolicy) => hasImmutabilityPolicy == true
        ? PlatformReading.InPlace($"{container}: x-ms-has-immutability-policy: true")
        : PlatformReading.Missing($"{container} has no immutability policy (x-ms-has-immutability-policy {(hasImmutabilityPolicy is null ? "absent" : "false")}): audit lines could be deleted or overwritten");

    /// <summary>Get Blob Service Properties' <c>DeleteRetentionPolicy</c> of the keyring's account.</summary>
    public static PlatformReading KeyringSoftDeleteFromPolicy(string account, bool softDeleteEnabled, int? days) => softDeleteEnabled
        ? PlatformReading.Missing($"{account} keeps deleted blobs for {days?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "some"} days: a shredded study key stays recoverable")
        : PlatformReading.InPlace($"{account}: blob soft delete is off, a shred is final");

    /// <summary>
    /// The KEK's <c>attributes.recoveryLevel</c>: <c>Recoverable</c> or <c>CustomizedRecoverable</c> means soft delete
    /// with purge protection; any level containing <c>Purgeable</c> means someone may purge it early.
    /// </summary>
    public static PlatformReading PurgeProtectionFromRecoveryLevel(string key, string? recoveryLevel) => recoveryLevel switch
    {
        null or "" => PlatformReading.Unreadable($"{key}: the vault returned no recoveryLevel"),
        "Recoverable" or "CustomizedRecoverable" => PlatformReading.InPlace($"{key}: recoveryLevel {recoveryLevel}"),
        _ when recoveryLevel.Contains("Purgeable", StringComparison.Ordinal) => PlatformReading.Missing($"{key}: recoveryLevel {recoveryLevel}: the KEK can be purged before its retention ends"),
        _ => PlatformReading.Unreadable($"{key}: unknown recoveryLevel {recoveryLevel}"),
    };

    private static async Task<PlatformReading> ReadAsync(Func<CancellationToken, Task<PlatformReading>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The probe's own failure (network path, DNS, permissions) is reported, never its stack or any header value.
            return PlatformReading.Unreadable(ex.GetType().Name);
        }
    }
}
