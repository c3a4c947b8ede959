using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle.Reconcile;

namespace CloudArchive.Azure.Lifecycle;

/// <summary>
/// The stable error code of a failed ingest delivery, as reconcile later puts it on the quarantined upload's reason: the
/// service, status and error code of a refused request (e.g. <c>storage-503-serverbusy</c>), or the kind of failure
/// (<c>keyring</c>, <c>audit-store</c>, ...). Never the exception's message, which could name a blob.
/// </summary>
public static class IngestErrorCodes
{
    /// <summary>The code of <paramref name="error"/>.</summary>
    public static string Of(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var code = error switch
        {
            Storage.StorageRequestException s => s.Status == 0 ? "storage-unreachable" : $"storage-{s.Status}-{s.ErrorCode ?? "error"}",
            KeyVault.KeyVaultException k => k.Status == 0 ? "keyvault-unreachable" : $"keyvault-{k.Status}-{k.ErrorCode ?? "error"}",
            KeyringException => "keyring",
            AuditStoreException or AuditWriteConflictException or AuditLogCorruptException => "audit-store",
            OperationCanceledException or TimeoutException => "timeout",
            _ => error.GetType().Name.Replace("Exception", string.Empty, StringComparison.Ordinal),
        };
        return IngestFailureNotes.Normalize(code);
    }
}
