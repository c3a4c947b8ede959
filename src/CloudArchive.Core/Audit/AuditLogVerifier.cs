using System.Globalization;

namespace CloudArchive.Core.Audit;

/// <summary>
/// Recomputes the hash chain of audit blobs and reports every line where it breaks, with the blob name,
/// line number and expected/actual values. Detects a modified line (the next line's <c>prevHash</c>
/// fails), a deleted line (chain and <c>seq</c> fail where it was), an inserted line and reordered lines
/// (chain and <c>seq</c> fail). After a finding, checking resumes from the line actually present, so
/// independent problems further down are reported too. Not detectable by the chain alone: removal of the
/// last lines or of a whole blob (the hourly seals cover that, see <see cref="Seals.AuditSealVerifier"/>). Keyed lines
/// (format v2) are checked with the chain key; legacy unkeyed lines (v1) are checked with SHA-256 and counted in
/// <see cref="AuditVerificationReport.LegacyLines"/>: they still verify, but only a seal protects them from a
/// recomputed chain.
/// </summary>
public sealed class AuditLogVerifier
{
    private readonly IAuditLogStore _store;
    private readonly IAuditChainKeySource? _chainKey;

    /// <summary>Creates a verifier over a store.</summary>
    /// <param name="store">The log.</param>
    /// <param name="chainKey">The audit chain key; without it a keyed (v2) line is reported as <see cref="AuditFindingKind.ChainUnverifiable"/>.</param>
    public AuditLogVerifier(IAuditLogStore store, IAuditChainKeySource? chainKey = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _chainKey = chainKey;
    }

    /// <summary>Verifies every blob whose hour overlaps [from, to] (unbounded when null).</summary>
    public async Task<AuditVerificationReport> VerifyAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var findings = new List<AuditFinding>();
        var blobs = 0;
        long lines = 0;
        long legacy = 0;
        var fromHour = from is { } f ? TruncateToHour(f) : (DateTimeOffset?)null;
        foreach (var prefix in AuditBlobName.PrefixesFor(from, to))
        {
            await foreach (var blob in _store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                if (!AuditBlobName.TryParse(blob.Name, out var hour, out _))
                {
                    findings.Add(new AuditFinding(blob.Name, 0, AuditFindingKind.UnexpectedBlob, "not a valid audit blob name; not verified"));
                    continue;
                }

                if ((fromHour is { } lower && hour < lower) || (to is { } upper && hour > upper))
                {
                    continue;
                }

                var result = await VerifyBlobAsync(blob.Name, cancellationToken).ConfigureAwait(false);
                blobs++;
                lines += result.LinesChecked;
                legacy += result.LegacyLines;
                findings.AddRange(result.Findings);
            }
        }

        return new AuditVerificationReport(blobs, lines, findings) { LegacyLines = legacy };
    }

    /// <summary>Verifies one blob.</summary>
    public async Task<AuditVerificationReport> VerifyBlobAsync(string blobName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        var findings = new List<AuditFinding>();
        if (!AuditBlobName.TryParse(blobName, out var hour, out var writerId))
        {
            findings.Add(new AuditFinding(blobName, 0, AuditFindingKind.UnexpectedBlob, "not a valid audit blob name; not verified"));
            return new AuditVerificationReport(0, 0, findings);
        }

        var key = _chainKey is null ? null : await _chainKey.GetAsync(cancellationToken).ConfigureAwait(false);
        var expected = new ChainValues(AuditChain.GenesisHash(blobName), key?.Genesis(blobName));
        long expectedSequence = 1;
        long count = 0;
        long legacy = 0;
        var stream = await _store.OpenReadAsync(blobName, 0, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var line in AuditLineReader.ReadAsync(stream, cancellationToken, key).ConfigureAwait(false))
            {
                count++;
                var (sequence, version) = CheckLine(blobName, hour, writerId, line, expected, expectedSequence, findings);
                legacy += version == AuditLineSerializer.FormatVersion ? 1 : 0;
                expected = new ChainValues(line.Hash, line.Mac);

                // Resynchronise on what is actually there, so one deletion is reported once, not on every later line.
                expectedSequence = (sequence ?? expectedSequence) + 1;
            }
        }

        return new AuditVerificationReport(1, count, findings) { LegacyLines = legacy };
    }

    /// <summary>The chain values the next line may carry: unkeyed (v1) and keyed (v2, null without the key).</summary>
    private sealed record ChainValues(string Unkeyed, string? Keyed);

    private static (long? Sequence, int Version) CheckLine(string blobName, DateTimeOffset hour, string writerId, AuditLineReader.Line line, ChainValues expected, long expectedSequence, List<AuditFinding> findings)
    {
        var n = line.Number;
        if (!line.Terminated)
        {
            findings.Add(new AuditFinding(blobName, n, AuditFindingKind.IncompleteLastLine, "the blob ends in the middle of a line (no line feed)"));
        }

        if (line.TooLong)
        {
            findings.Add(new AuditFinding(blobName, n, AuditFindingKind.Malformed, $"line is longer than {AuditLineSerializer.MaxLineBytes} bytes"));
            return (null, 0);
        }

        AuditRecord record;
        try
        {
            record = AuditLineSerializer.Parse(line.Bytes);
        }
        catch (AuditFormatException ex)
        {
            findings.Add(new AuditFinding(blobName, n, AuditFindingKind.Malformed, ex.Message));
            return (null, 0);
        }

        var seqOk = record.Sequence == expectedSequence;
        var keyed = record.FormatVersion == AuditLineSerializer.KeyedFormatVersion;
        var expectedHash = keyed ? expected.Keyed : expected.Unkeyed;
        if (expectedHash is null)
        {
            findings.Add(new AuditFinding(blobName, n, AuditFindingKind.ChainUnverifiable, "the line uses the keyed chain and no audit chain key was available"));
        }
        else if (record.PreviousHash != expectedHash)
        {
            var hint = n == 1
                ? "the first line does not chain to this blob's genesis value: it was replaced, or lines before it were deleted, or it was copied from another blob"
                : record.Sequence > expectedSequence
                    ? string.Create(CultureInfo.InvariantCulture, $"{record.Sequence - expectedSequence} line(s) missing before this one: deleted, or lines reordered")
                    : record.Sequence < expectedSequence
                        ? string.Create(CultureInfo.InvariantCulture, $"a line was inserted before this one, or lines were reordered")
                        : string.Create(CultureInfo.InvariantCulture, $"line {n - 1} was modified (its hash no longer matches this line's prevHash)");
            findings.Add(new AuditFinding(blobName, n, AuditFindingKind.ChainBroken, hint, expectedHash, record.PreviousHash));
        }

        if (!seqOk)
        {
            findings.Add(new AuditFinding(blobName, n, AuditFindingKind.SequenceMismatch,
                record.Sequence > expectedSequence ? "seq is ahead of the line's position: lines were deleted before it" : "seq is behind the line's position: a line was inserted before it or lines were reordered",
                expectedSequence.ToString(CultureInfo.InvariantCulture), record.Sequence.ToString(CultureInfo.InvariantCulture)));
        }

        if (record.WriterId != writerId || record.Time < hour || record.Time >= hour.AddHours(1))
        {
            findings.Add(new AuditFinding(blobName, n, AuditFindingKind.MisplacedLine, "the line's writer or hour does not match the blob it is in"));
        }

        if (!AuditLineSerializer.Serialize(record).AsSpan().SequenceEqual(line.Bytes))
        {
            findings.Add(new AuditFinding(blobName, n, AuditFindingKind.NonCanonical, "the line is not in the canonical form the writer produces"));
        }

        return (record.Sequence, record.FormatVersion);
    }

    private static DateTimeOffset TruncateToHour(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
