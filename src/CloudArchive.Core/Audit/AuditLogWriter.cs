namespace CloudArchive.Core.Audit;

/// <summary>
/// Appends audit records to <c>log/{yyyy}/{MM}/{dd}/{HH}/{writerId}.jsonl</c>, one line per append, each
/// chained to the previous line (<see cref="AuditChain"/>). Appends are conditional on the expected
/// length; on a mismatch (412) the writer re-reads the tail and either finds its own line there (an
/// earlier attempt succeeded but its response was lost: done, nothing written twice) or recomputes
/// <c>seq</c> and <c>prevHash</c> and tries again. Thread-safe; one instance per writer id per process.
/// </summary>
public sealed class AuditLogWriter : IDisposable
{
    /// <summary>How much of a blob's end is read to find its last line (four maximal lines).</summary>
    internal const int TailWindow = AuditLineSerializer.MaxLineBytes * 4;

    private readonly IAuditLogStore _store;
    private readonly TimeProvider _time;
    private readonly int _maxAttempts;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TailState? _state;

    /// <summary>Creates a writer.</summary>
    /// <param name="store">Where the log lives.</param>
    /// <param name="writerId">Unique per process (e.g. the host instance id): lowercase letters, digits, '-'.</param>
    /// <param name="time">Clock for line times (UTC).</param>
    /// <param name="maxAttempts">How many position conflicts to absorb per record before giving up.</param>
    public AuditLogWriter(IAuditLogStore store, string writerId, TimeProvider time, int maxAttempts = 8)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        if (!AuditBlobName.IsValidWriterId(writerId))
        {
            throw new ArgumentException("A writer id is lowercase letters, digits and '-' (at most 100 characters).", nameof(writerId));
        }

        _store = store;
        WriterId = writerId;
        _time = time;
        _maxAttempts = maxAttempts;
    }

    /// <summary>This writer's id.</summary>
    public string WriterId { get; }

    /// <summary>Appends one event and returns the record as written.</summary>
    /// <exception cref="AuditWriteConflictException">Lost the append race <c>maxAttempts</c> times.</exception>
    /// <exception cref="AuditLogCorruptException">The blob's last line is damaged.</exception>
    /// <exception cref="AuditStoreException">Storage failed.</exception>
    public async Task<AuditRecord> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string blobName = string.Empty;
            for (var attempt = 1; attempt <= _maxAttempts; attempt++)
            {
                var now = _time.GetUtcNow();
                blobName = AuditBlobName.For(now, WriterId);
                if (_state is null || _state.BlobName != blobName)
                {
                    _state = await LoadTailAsync(blobName, createIfMissing: true, cancellationToken).ConfigureAwait(false);
                }

                var record = new AuditRecord(_state.LastSequence + 1, _state.LastHash, now, WriterId, auditEvent);
                var line = AuditLineSerializer.Serialize(record);
                var payload = new byte[line.Length + 1];
                line.CopyTo(payload, 0);
                payload[^1] = (byte)'\n';

                var outcome = await _store.AppendAsync(blobName, payload, _state.Length, cancellationToken).ConfigureAwait(false);
                if (outcome == AuditAppendOutcome.Appended)
                {
                    _state = new TailState(blobName, _state.Length + payload.Length, record.Sequence, AuditChain.Hash(line), line);
                    return record;
                }

                _state = await LoadTailAsync(blobName, createIfMissing: false, cancellationToken).ConfigureAwait(false);
                if (_state.LastLine is { } last && last.AsSpan().SequenceEqual(line))
                {
                    // Our line is already there: a retried request whose first attempt succeeded.
                    return record;
                }
            }

            _state = null;
            throw new AuditWriteConflictException(blobName, _maxAttempts);
        }
        catch
        {
            // After a failure the cached tail may be stale (e.g. an append that failed on the wire may have
            // landed); the next append re-reads it.
            _state = null;
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Releases the writer's lock object.</summary>
    public void Dispose() => _gate.Dispose();

    private async Task<TailState> LoadTailAsync(string blobName, bool createIfMissing, CancellationToken cancellationToken)
    {
        var length = await _store.GetLengthAsync(blobName, cancellationToken).ConfigureAwait(false);
        if (length is null)
        {
            if (!createIfMissing)
            {
                throw new AuditStoreException(blobName, "the blob disappeared while being written", isNotFound: true);
            }

            await _store.CreateIfNotExistsAsync(blobName, cancellationToken).ConfigureAwait(false);
            length = await _store.GetLengthAsync(blobName, cancellationToken).ConfigureAwait(false)
                ?? throw new AuditStoreException(blobName, "the blob does not exist after being created", isNotFound: true);
        }

        if (length == 0)
        {
            return new TailState(blobName, 0, 0, AuditChain.GenesisHash(blobName), null);
        }

        var start = Math.Max(0, length.Value - TailWindow);
        byte[] tail;
        var stream = await _store.OpenReadAsync(blobName, start, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            tail = buffer.ToArray();
        }

        // Other appends may have landed after GetLength; only the bytes up to the measured length count,
        // so the state stays consistent with the position used for the next conditional append.
        var usable = (int)Math.Min(tail.Length, length.Value - start);
        if (usable <= 0 || tail[usable - 1] != (byte)'\n')
        {
            throw new AuditLogCorruptException(blobName, "the last line is incomplete (no line feed at the end)");
        }

        var end = usable - 1;
        var lineStart = Array.LastIndexOf(tail, (byte)'\n', end - 1 < 0 ? 0 : end - 1, end) + 1;
        if (end == 0 || (lineStart == 0 && start > 0))
        {
            throw new AuditLogCorruptException(blobName, $"the last line is empty or longer than {AuditLineSerializer.MaxLineBytes} bytes");
        }

        var line = tail.AsSpan(lineStart, end - lineStart).ToArray();
        AuditRecord last;
        try
        {
            last = AuditLineSerializer.Parse(line);
        }
        catch (AuditFormatException ex)
        {
            throw new AuditLogCorruptException(blobName, "the last line is not a valid audit record", ex);
        }

        return new TailState(blobName, length.Value, last.Sequence, AuditChain.Hash(line), line);
    }

    private sealed record TailState(string BlobName, long Length, long LastSequence, string LastHash, byte[]? LastLine);
}
