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
    public async IAsyncEnumerable<AuditLogEntry> QueryAsync(AuditQueryFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
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

                var stream = await _store.OpenReadAsync(blob.Name, 0, cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    await foreach (var line in AuditLineReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
                    {
                        if (!line.Terminated || line.TooLong)
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
