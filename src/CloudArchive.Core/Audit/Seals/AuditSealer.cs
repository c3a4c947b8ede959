using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudArchive.Core.Audit.Seals;

/// <summary>
/// Seals closed hours of the audit log, in hour order, each chained to the seal before it (<see cref="AuditSeal"/>).
/// Idempotent and resumable: a seal is written create-only, a re-run that finds one verifies it instead of writing,
/// and a sweep continues from the hour after the last seal. The chain starts at the first hour of the log. Every seal
/// is audited (110100, <c>audit-seal</c>, with the hour and root) before it is written, so an interrupted run leaves at
/// worst a repeated line, never a seal without one.
/// </summary>
public sealed class AuditSealer
{
    /// <summary>The actor of the timer's seals.</summary>
    public const string TimerActorId = "system:audit-seal";

    private readonly IAuditLogStore _log;
    private readonly IAuditSealStore _seals;
    private readonly IAuditSealSigner _signer;
    private readonly AuditLogWriter _audit;
    private readonly TimeProvider _time;
    private readonly AuditSealOptions _options;
    private readonly AuditSealVerifier _verifier;
    private readonly ILogger _logger;

    /// <summary>Creates a sealer.</summary>
    public AuditSealer(IAuditLogStore log, IAuditSealStore seals, IAuditSealSigner signer, AuditLogWriter audit, TimeProvider time, AuditSealOptions? options = null, ILogger<AuditSealer>? logger = null)
    {
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _seals = seals ?? throw new ArgumentNullException(nameof(seals));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? new AuditSealOptions();
        _verifier = new AuditSealVerifier(log, seals, signer, time, _options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Seals every due hour after the last seal (at most <see cref="AuditSealOptions.MaxHoursPerRun"/>).</summary>
    /// <param name="actor">Who runs the sweep (the timer, or an operator through the CLI).</param>
    /// <param name="correlationId">Ties the audit lines to the run's logs.</param>
    /// <param name="cancellationToken">Stops between hours.</param>
    public async Task<AuditSealRun> SealDueAsync(AuditActor actor, string? correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = _time.GetUtcNow();
        var next = await NextUnsealedHourAsync(cancellationToken).ConfigureAwait(false);
        var outcomes = new List<AuditSealOutcome>();
        while (next is { } hour && _options.IsDue(hour, now))
        {
            if (outcomes.Count == _options.MaxHoursPerRun)
            {
                return new AuditSealRun(outcomes, MoreDue: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            outcomes.Add(await SealHourAsync(hour, actor, correlationId, cancellationToken).ConfigureAwait(false));
            next = hour.AddHours(1);
        }

        return new AuditSealRun(outcomes, MoreDue: false);
    }

    /// <summary>
    /// Seals one closed hour, or verifies its seal when it exists. The hour before it must be sealed, unless no seal
    /// exists yet and this is the log's first hour (the chain's start).
    /// </summary>
    /// <exception cref="AuditSealException">The hour is not closed yet, or the hours before it are not sealed.</exception>
    public async Task<AuditSealOutcome> SealHourAsync(DateTimeOffset hour, AuditActor actor, string? correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        hour = AuditSealName.HourOf(hour);
        var name = AuditSealName.For(hour);
        if (!_options.IsDue(hour, _time.GetUtcNow()))
        {
            throw new AuditSealException(string.Create(CultureInfo.InvariantCulture, $"The hour {hour:yyyy-MM-dd'T'HH}:00Z is not closed yet (sealed {_options.Grace.TotalMinutes} minutes after it ends)."));
        }

        if (await _seals.ReadAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return await VerifyExistingAsync(name, hour, existing, cancellationToken).ConfigureAwait(false);
        }

        var previous = await _seals.ReadAsync(AuditSealName.For(hour.AddHours(-1)), cancellationToken).ConfigureAwait(false);
        if (previous is null && await NextUnsealedHourAsync(cancellationToken).ConfigureAwait(false) != hour)
        {
            throw new AuditSealException(string.Create(CultureInfo.InvariantCulture, $"The hour {hour:yyyy-MM-dd'T'HH}:00Z cannot be sealed before the hours ahead of it; run the sweep (audit seal without --hour)."));
        }

        var digest = await AuditHourDigest.ComputeAsync(_log, hour, null, cancellationToken).ConfigureAwait(false);
        var keyId = await _signer.GetKeyIdAsync(cancellationToken).ConfigureAwait(false);
        var unsigned = new AuditSeal
        {
            Hour = hour,
            PreviousSealHash = previous is null ? AuditSeal.Genesis : AuditSeal.HashOf(previous),
            Lines = digest.Lines,
            Root = digest.Root,
            Blobs = digest.Blobs,
            SealedAt = _time.GetUtcNow(),
            KeyId = keyId,
            Algorithm = _signer.Algorithm,
        };
        var signature = await _signer.SignAsync(keyId, SHA256.HashData(unsigned.SignedPayload()), cancellationToken).ConfigureAwait(false);
        var seal = unsigned with { Signature = System.Buffers.Text.Base64Url.EncodeToString(signature) };

        await _audit.AppendAsync(new AuditEvent
        {
            EventType = AuditEventType.ApplicationActivity,
            Action = AuditAction.Create,
            Outcome = AuditOutcome.Success,
            Actor = actor,
            CorrelationId = correlationId,
            Details =
            [
                "audit-seal",
                string.Create(CultureInfo.InvariantCulture, $"hour={hour:yyyyMMddHH}"),
                "root=" + digest.Root,
                string.Create(CultureInfo.InvariantCulture, $"lines={digest.Lines}"),
                string.Create(CultureInfo.InvariantCulture, $"blobs={digest.Blobs.Count}"),
            ],
        }, cancellationToken).ConfigureAwait(false);

        if (!await _seals.TryCreateAsync(name, seal.ToBytes(), cancellationToken).ConfigureAwait(false))
        {
            // Another sweep sealed it meanwhile: check theirs, never overwrite.
            var theirs = await _seals.ReadAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw new AuditStoreException(name, "the seal exists but cannot be read");
            return await VerifyExistingAsync(name, hour, theirs, cancellationToken).ConfigureAwait(false);
        }

        LogSealed(_logger, hour, digest.Lines, digest.Blobs.Count, null);
        return new AuditSealOutcome(hour, true, seal, []);
    }

    private async Task<AuditSealOutcome> VerifyExistingAsync(string name, DateTimeOffset hour, byte[] existing, CancellationToken cancellationToken)
    {
        var findings = new List<AuditFinding>();
        var seal = await _verifier.CheckSealAsync(name, hour, existing, findings, cancellationToken).ConfigureAwait(false);
        if (seal is null)
        {
            throw new AuditSealException(string.Create(CultureInfo.InvariantCulture, $"The seal of {hour:yyyy-MM-dd'T'HH}:00Z exists but is unreadable; run audit verify."));
        }

        return new AuditSealOutcome(hour, false, seal, findings);
    }

    /// <summary>The hour after the last seal; with no seal, the log's first hour; null when there is no log yet.</summary>
    private async Task<DateTimeOffset?> NextUnsealedHourAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? last = null;
        await foreach (var name in _seals.ListAsync(string.Empty, cancellationToken).ConfigureAwait(false))
        {
            if (AuditSealName.TryParse(name, out var hour))
            {
                last = hour;
            }
        }

        if (last is { } l)
        {
            return l.AddHours(1);
        }

        await foreach (var blob in _log.ListAsync(AuditBlobName.Root, cancellationToken).ConfigureAwait(false))
        {
            if (AuditBlobName.TryParse(blob.Name, out var hour, out _))
            {
                return hour;
            }
        }

        return null;
    }

    private static readonly Action<ILogger, DateTimeOffset, long, int, Exception?> LogSealed =
        LoggerMessage.Define<DateTimeOffset, long, int>(LogLevel.Information, new EventId(1, "AuditSealed"), "Audit hour {Hour:o} sealed: {Lines} lines in {Blobs} blobs");
}
