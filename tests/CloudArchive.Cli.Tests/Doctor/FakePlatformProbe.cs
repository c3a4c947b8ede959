using CloudArchive.Cli.Commands.Doctor;

namespace CloudArchive.Cli.Tests.Doctor;

/// <summary>An in-memory probe: each control answers the reading it was given, or throws when given null.</summary>
internal sealed class FakePlatformProbe(
    PlatformReading? sharedKey = null,
    PlatformReading? auditImmutable = null,
    PlatformReading? keyringSoftDeleteOff = null,
    PlatformReading? purgeProtection = null,
    PlatformReading? httpsOnly = null) : IPlatformProbe
{
    public Task<PlatformReading> SharedKeyDisabledAsync(CancellationToken cancellationToken) => Answer(sharedKey);

    public Task<PlatformReading> AuditImmutableAsync(CancellationToken cancellationToken) => Answer(auditImmutable);

    public Task<PlatformReading> KeyringSoftDeleteOffAsync(CancellationToken cancellationToken) => Answer(keyringSoftDeleteOff);

    public Task<PlatformReading> PurgeProtectionAsync(CancellationToken cancellationToken) => Answer(purgeProtection);

    public Task<PlatformReading> HttpsOnlyAsync(CancellationToken cancellationToken) => Answer(httpsOnly);

    private static Task<PlatformReading> Answer(PlatformReading? reading) =>
        reading is null ? Task.FromException<PlatformReading>(new HttpRequestException("no route to the account")) : Task.FromResult(reading);
}
