using System.Globalization;
using System.Security.Cryptography;

namespace CloudArchive.Core.Audit.Seals;

/// <summary>
/// Checks the seals against each other and against the log as it is now: each seal's signature; the seal chain (every
/// seal records the hash of the previous hour's seal, hours contiguous from the first seal); and each sealed hour's
/// blobs (a blob shorter than sealed is <see cref="AuditFindingKind.Truncated"/>, a sealed blob that is gone is
/// <see cref="AuditFindingKind.BlobDeleted"/>, sealed lines that no longer hash to the sealed root are
/// <see cref="AuditFindingKind.BlobRewritten"/>, whatever the chain says). Closed hours with log blobs but no seal,
/// and hours missing inside the sealed range, are <see cref="AuditFindingKind.SealMissing"/>.
/// </summary>
public sealed class AuditSealVerifier
{
    private readonly IAuditLogStore _log;
    private readonly IAuditSealStore _seals;
    private readonly IAuditSealSigner _signer;
    private readonly TimeProvider _time;
    private readonly AuditSealOptions _options;

    /// <summary>Creates a verifier.</summary>
    public AuditSealVerifier(IAuditLogStore log, IAuditSealStore seals, IAuditSealSigner signer, TimeProvider time, AuditSealOptions? options = null)
    {
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _seals = seals ?? throw new ArgumentNullException(nameof(seals));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? new AuditSealOptions();
    }

    /// <summary>Verifies the seals of hours in [from, to) (unbounded when null) and the sealed hours' blobs.</summary>
    /// <returns>The findings, and how many seals were checked.</returns>
    public async Task<(IReadOnlyList<AuditFinding> Findings, int SealsChecked)> VerifyAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var fromHour = from is { } f ? AuditSealName.HourOf(f) : (DateTimeOffset?)null;
        bool InRange(DateTimeOffset hour) => (fromHour is null || hour >= fromHour) && (to is null || hour < to);

        var findings = new List<AuditFinding>();
        var sealedHours = new HashSet<DateTimeOffset>();
        var checkedSeals = 0;
        DateTimeOffset? previousHour = null;
        byte[]? previousBytes = null;
        await foreach (var name in _seals.ListAsync(string.Empty, cancellationToken).ConfigureAwait(false))
        {
            if (!AuditSealName.TryParse(name, out var hour))
            {
                findings.Add(new AuditFinding(name, 0, AuditFindingKind.UnexpectedBlob, "not a valid seal name; not verified"));
                continue;
            }

            if (to is not null && hour >= to)
            {
                break;
            }

            var bytes = await _seals.ReadAsync(name, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                continue;
            }

            if (!InRange(hour))
            {
                // Before the range: only the link into it is needed.
                (previousHour, previousBytes) = (hour, bytes);
                continue;
            }

            checkedSeals++;
            sealedHours.Add(hour);
            var seal = await CheckSealAsync(name, hour, bytes, findings, cancellationToken).ConfigureAwait(false);
            if (seal is not null)
            {
                CheckLink(name, hour, seal, previousHour, previousBytes, findings);
            }

            if (previousHour is { } p && InRange(p))
            {
                for (var missing = p.AddHours(1); missing < hour; missing = missing.AddHours(1))
                {
                    findings.Add(Missing(missing, "an hour inside the sealed range has no seal (deleted, or never written)"));
                    sealedHours.Add(missing);
                }
            }

            (previousHour, previousBytes) = (hour, bytes);
        }

        // Closed hours that have log blobs but no seal.
        var now = _time.GetUtcNow();
        var reported = new HashSet<DateTimeOffset>(sealedHours);
        foreach (var prefix in AuditBlobName.PrefixesFor(from, to))
        {
            await foreach (var blob in _log.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                if (AuditBlobName.TryParse(blob.Name, out var hour, out _) && InRange(hour) && _options.IsOverdue(hour, now) && reported.Add(hour))
                {
                    findings.Add(Missing(hour, "a closed hour of the log has no seal"));
                }
            }
        }

        return (findings, checkedSeals);
    }

    /// <summary>
    /// Checks one seal file: it parses, its signature verifies, it seals the hour its name says, and the log's blobs
    /// still hold what it sealed. Adds findings; returns the seal when it could be read.
    /// </summary>
    public async Task<AuditSeal?> CheckSealAsync(string name, DateTimeOffset hour, byte[] bytes, List<AuditFinding> findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(findings);
        AuditSeal seal;
        byte[] signature;
        try
        {
            seal = AuditSeal.Parse(bytes);
            signature = System.Buffers.Text.Base64Url.DecodeFromChars(seal.Signature ?? throw new FormatException("the seal is not signed"));
        }
        catch (FormatException ex)
        {
            findings.Add(new AuditFinding(name, 0, AuditFindingKind.SealSignatureInvalid, "the seal is unreadable: " + ex.Message));
            return null;
        }

        var digest = SHA256.HashData(seal.SignedPayload());
        if (seal.Hour != hour || !await _signer.VerifyAsync(seal.KeyId, seal.Algorithm, digest, signature, cancellationToken).ConfigureAwait(false))
        {
            findings.Add(new AuditFinding(name, 0, AuditFindingKind.SealSignatureInvalid,
                seal.Hour != hour ? "the seal is for another hour than its name" : "the seal's signature does not verify with the seal signing key: the seal was forged or altered"));
            return seal;
        }

        var before = findings.Count;
        var sealedLines = seal.Blobs.ToDictionary(b => b.Name, b => b.Lines, StringComparer.Ordinal);
        var now = await AuditHourDigest.ComputeAsync(_log, hour, sealedLines, cancellationToken).ConfigureAwait(false);
        foreach (var sealedBlob in seal.Blobs)
        {
            if (!now.Current.TryGetValue(sealedBlob.Name, out var current))
            {
                findings.Add(new AuditFinding(sealedBlob.Name, 0, AuditFindingKind.BlobDeleted, "a blob the seal recorded is gone",
                    Count(sealedBlob.Lines), "absent"));
                continue;
            }

            var digestNow = now.Blobs.First(b => b.Name == sealedBlob.Name);
            if (current.Lines < sealedBlob.Lines || current.Bytes < sealedBlob.Bytes)
            {
                findings.Add(new AuditFinding(sealedBlob.Name, (int)Math.Min(current.Lines + 1, int.MaxValue), AuditFindingKind.Truncated,
                    current.Lines == 0 ? "the blob is empty but the seal recorded lines: deleted and recreated" : "the blob is shorter than the seal recorded: lines were removed at its end",
                    string.Create(CultureInfo.InvariantCulture, $"{sealedBlob.Lines} lines/{sealedBlob.Bytes} bytes"),
                    string.Create(CultureInfo.InvariantCulture, $"{current.Lines} lines/{current.Bytes} bytes")));
            }
            else if (digestNow.Root != sealedBlob.Root || digestNow.Bytes != sealedBlob.Bytes)
            {
                findings.Add(new AuditFinding(sealedBlob.Name, 0, AuditFindingKind.BlobRewritten,
                    "the blob's sealed lines no longer match the seal's Merkle root: the blob was rewritten", sealedBlob.Root, digestNow.Root));
            }
            else if (current.Lines > sealedBlob.Lines)
            {
                findings.Add(new AuditFinding(sealedBlob.Name, (int)Math.Min(sealedBlob.Lines + 1, int.MaxValue), AuditFindingKind.UnsealedContent,
                    "lines were appended to the blob after its hour was sealed", Count(sealedBlob.Lines), Count(current.Lines)));
            }
        }

        foreach (var extra in now.Current.Keys.Where(n => !sealedLines.ContainsKey(n)))
        {
            findings.Add(new AuditFinding(extra, 0, AuditFindingKind.UnsealedContent, "a blob of a sealed hour that the seal does not record: created after sealing"));
        }

        if (findings.Count == before && now.Root != seal.Root)
        {
            findings.Add(new AuditFinding(name, 0, AuditFindingKind.BlobRewritten, "the hour's lines no longer match the seal's root", seal.Root, now.Root));
        }

        return seal;
    }

    private static void CheckLink(string name, DateTimeOffset hour, AuditSeal seal, DateTimeOffset? previousHour, byte[]? previousBytes, List<AuditFinding> findings)
    {
        if (previousHour is null)
        {
            if (seal.PreviousSealHash != AuditSeal.Genesis)
            {
                findings.Add(new AuditFinding(name, 0, AuditFindingKind.SealChainGap, "the first seal present chains to an earlier seal that is gone"));
            }

            return;
        }

        if (previousHour.Value.AddHours(1) != hour || seal.PreviousSealHash != AuditSeal.HashOf(previousBytes))
        {
            findings.Add(new AuditFinding(name, 0, AuditFindingKind.SealChainGap,
                previousHour.Value.AddHours(1) != hour
                    ? "the seal before this one is not the previous hour's: seals are missing in between"
                    : "the seal does not chain to the previous hour's seal: that seal was replaced or this one was forged",
                AuditSeal.HashOf(previousBytes), seal.PreviousSealHash));
        }
    }

    private static AuditFinding Missing(DateTimeOffset hour, string message) => new(AuditSealName.For(hour), 0, AuditFindingKind.SealMissing, message);

    private static string Count(long lines) => string.Create(CultureInfo.InvariantCulture, $"{lines} lines");
}
