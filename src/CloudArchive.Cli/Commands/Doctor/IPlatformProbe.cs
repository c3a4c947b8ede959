namespace CloudArchive.Cli.Commands.Doctor;

/// <summary>Reads the platform controls of a deployed archive (docs/deploy.md, "Check the deployment").</summary>
internal interface IPlatformProbe
{
    /// <summary>The data account refuses Shared Key (account key and SAS) requests.</summary>
    Task<PlatformReading> SharedKeyDisabledAsync(CancellationToken cancellationToken);

    /// <summary>The audit container has an immutability (WORM) policy.</summary>
    Task<PlatformReading> AuditImmutableAsync(CancellationToken cancellationToken);

    /// <summary>The keyring's account keeps no soft-deleted blobs.</summary>
    Task<PlatformReading> KeyringSoftDeleteOffAsync(CancellationToken cancellationToken);

    /// <summary>The KEK's vault has purge protection.</summary>
    Task<PlatformReading> PurgeProtectionAsync(CancellationToken cancellationToken);

    /// <summary>The storage accounts refuse plain-http requests.</summary>
    Task<PlatformReading> HttpsOnlyAsync(CancellationToken cancellationToken);
}
