using System.Runtime.CompilerServices;

namespace CloudArchive.Core.Audit;

/// <summary>
/// Reads audit records matching a filter, streaming blob by blob (blob name order: by hour, then writer).
/// Lines that are not valid records are skipped here; integrity is <see cref="AuditLogVerifier"/>'s job,
/// and <c>audit query</c> users are told to verify the same range.
/// </summary>
public sealed class AuditLogQuery
{
    private readonly IAuditLogStore _store;

    /// <summary>Creates a query over a store.</summary>
    public AuditLogQuery(IAuditLogStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Returns matching records.</summary>
    public IAsyncEnumerable<AuditLogEntry> QueryAsync(AuditQueryFilter filter, CancellationToken cancellationToken) =>
        QueryAsync(filter, null, cancellationToken);

    /// <summary>
    /// Returns matching records that were not returned by an earlier call with the same <paramref name="readTo"/>:
    /// it remembers, per blob, the end of the last complete line read, so a caller that polls (e.g. <c>upload
    /// --wait</c>) reads only what was appended since, and skips blobs that did not grow. Line numbers of the entries
    /// count from where this call started reading a blob.
    /// </summary>
    public IAsyncEnumerable<AuditLogEntry> QueryNewAsync(AuditQueryFilter filter, IDictionary<string, long> readTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readTo);
        return QueryAsync(filter, readTo, cancellationToken);
    }

    private async IAsyncEnumerable<AuditLogEntry> QueryAsync(AuditQueryFilter filter, IDictionary<string, long>? readTo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var lowerHour = filter.From is { } from ? new DateTimeOffset(from.UtcDateTime.Date.AddHours(from.UtcDateTime.Hour), TimeSpan.Zero) : (DateTimeOffset?)null;
        foreach (var prefix in AuditBlobName.PrefixesFor(filter.From, filter.To))
        {
            await foreach (var blob in _store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                if (!AuditBlobName.TryParse(blob.Name, out var hour, out _)
                    || (lowerHour is { } lower && hour < lower)
                    || (filter.To is { } upper && hour >= upper))
                {
                    continue;
                }

                var offset = readTo is not null && readTo.TryGetValue(blob.Name, out var read) ? read : 0;
                if (offset >= blob.Length && offset > 0)
                {
                    continue; // nothing appended since the last call
                }

                var stream = await _store.OpenReadAsync(blob.Name, offset, cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    await foreach (var line in AuditLineReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
                    {
                        if (!line.Terminated)
                        {
                            // A line being written: read again from its start next time.
                            continue;
                        }

                        offset += line.StreamLength;
                        if (readTo is not null)
                        {
                            readTo[blob.Name] = offset;
                        }

                        if (line.TooLong)
                        {
                            continue;
                        }

                        AuditRecord record;
                        try
                        {
                            record = AuditLineSerializer.Parse(line.Bytes);
                        }
                        catch (AuditFormatException)
                        {
                            continue;
                        }

                        if (filter.Matches(record))
                        {
                            yield return new AuditLogEntry(blob.Name, line.Number, record);
                        }
                    }
                }
            }
        }
    }
}
