namespace CloudArchive.Core.Audit;

/// <summary>Where the writer and the verifier get the audit chain key (the keyring in the archive).</summary>
public interface IAuditChainKeySource
{
    /// <summary>Returns the key, creating it on first use. The source keeps ownership: callers must not dispose it.</summary>
    Task<AuditChainKey> GetAsync(CancellationToken cancellationToken);
}
