using System.Buffers;
using System.Globalization;
using Azure;
using Azure.Core;
using CloudArchive.Azure.Storage.Http;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// One blob: upload (single Put Blob or staged blocks), download (streamed, ranged, seekable), properties,
/// metadata, tags, delete, append blobs, leases, immutability policy and legal hold. Every failure the
/// service reports is a <see cref="StorageRequestException"/>. Thread-safe.
/// </summary>
public sealed class BlobClient
{
    private readonly StorageConnection _connection;

    internal BlobClient(StorageConnection connection, string containerName, Uri containerUri, string name)
    {
        BlobNames.ValidateBlobName(name);
        _connection = connection;
        ContainerName = containerName;
        Name = name;
        Uri = StorageHttp.Child(containerUri, StorageHttp.EscapePath(name));
    }

    /// <summary>The container name.</summary>
    public string ContainerName { get; }

    /// <summary>The blob name.</summary>
    public string Name { get; }

    /// <summary>The blob's URI (no credentials in it).</summary>
    public Uri Uri { get; }

    private StorageOptions Options => _connection.Options;

    /// <summary>
    /// Uploads <paramref name="content"/> from its current position to its end, replacing the blob unless
    /// conditions say otherwise. Up to <see cref="StorageOptions.SingleUploadThresholdBytes"/> it is one Put
    /// Blob; beyond, blocks of <see cref="StorageOptions.BlockSizeBytes"/> are staged with at most
    /// <see cref="StorageOptions.MaxUploadConcurrency"/> in flight (and in memory) and committed in one Put
    /// Block List, so the blob appears atomically with its content type, metadata and tags.
    /// </summary>
    /// <remarks>
    /// A create-only upload whose successful response is lost and retried reports 409 although the first try
    /// stored it; callers that must tell the two apart compare the stored metadata (e.g. a content hash).
    /// </remarks>
    public async Task<BlobWriteResult> UploadAsync(Stream content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanRead)
        {
            throw new ArgumentException("The upload stream is not readable.", nameof(content));
        }

        ValidateWriteOptions(options);
        if (options?.TrailingMetadata is not null && content.CanSeek)
        {
            throw new ArgumentException("Trailing metadata needs content that cannot seek (it is committed after the content is read).", nameof(options));
        }

        if (content.CanSeek)
        {
            var remaining = content.Length - content.Position;
            if (remaining <= Options.SingleUploadThresholdBytes)
            {
                return await PutBlobAsync(RequestContent.Create(content), "BlockBlob", options, cancellationToken).ConfigureAwait(false);
            }

            return await StageAndCommitAsync(content, null, 0, options, cancellationToken).ConfigureAwait(false);
        }

        // A stream that cannot seek is read one block ahead: if it ends within that block (and within the
        // threshold) it goes as one Put Blob from the buffer, otherwise that buffer becomes block 0.
        var first = BlobBufferPool.Instance.Rent(Options.BlockSizeBytes);
        int firstLength;
        try
        {
            firstLength = await FillAsync(content, first, Options.BlockSizeBytes, cancellationToken).ConfigureAwait(false);
            if (firstLength < Options.BlockSizeBytes && firstLength <= Options.SingleUploadThresholdBytes)
            {
                var result = await PutBlobAsync(RequestContent.Create(first.AsMemory(0, firstLength)), "BlockBlob", options, cancellationToken, options?.TransactionalMd5 == true ? Md5(first.AsSpan(0, firstLength)) : null).ConfigureAwait(false);
                BlobBufferPool.Instance.Return(first);
                return result;
            }
        }
        catch
        {
            BlobBufferPool.Instance.Return(first);
            throw;
        }

        return await StageAndCommitAsync(content, first, firstLength, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Downloads the blob (or <paramref name="range"/> of it) as a network stream that is not buffered in
    /// memory. The stream is pinned to the ETag of the first response when it has to resume.
    /// </summary>
    public Task<BlobDownload> DownloadAsync(BlobRange? range = null, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default) =>
        DownloadCoreAsync(range, conditions, async: true, cancellationToken).AsTask();

    /// <summary>
    /// Opens a seekable read-only stream over the current version of the blob (random access by ranged GETs
    /// of <see cref="StorageOptions.ReadChunkBytes"/>; the blob changing afterwards makes reads fail with 412).
    /// </summary>
    public async Task<BlobReadStream> OpenReadAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        var properties = await GetPropertiesAsync(conditions, cancellationToken).ConfigureAwait(false);
        return new BlobReadStream(this, properties, Options.ReadChunkBytes);
    }

    /// <summary>
    /// Like <see cref="OpenReadAsync"/>, but opens with a GET of the first <see cref="StorageOptions.ReadChunkBytes"/>
    /// instead of a HEAD: the properties come with the first chunk, so a blob no larger than one chunk costs one
    /// request in all. Combine with <see cref="BlobReadStream.OpenSequential"/> for one streaming pass over the rest.
    /// </summary>
    public async Task<BlobReadStream> OpenReadPrefetchedAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        BlobDownload download;
        try
        {
            download = await DownloadCoreAsync(new BlobRange(0, Options.ReadChunkBytes), conditions, async: true, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageRequestException ex) when (ex.Status == 416)
        {
            // An empty blob has no byte 0 to range over.
            return await OpenReadAsync(conditions, cancellationToken).ConfigureAwait(false);
        }

        await using (download.ConfigureAwait(false))
        {
            var length = (int)Math.Min(download.ContentLength, download.Properties.ContentLength);
            var chunk = BlobBufferPool.Instance.Rent(Options.ReadChunkBytes);
            try
            {
                var filled = await FillAsync(download.Content, chunk, length, cancellationToken).ConfigureAwait(false);
                if (filled != length)
                {
                    throw new IOException("The blob returned fewer bytes than its length promised.");
                }

                return new BlobReadStream(this, download.Properties, Options.ReadChunkBytes, chunk, length);
            }
            catch
            {
                BlobBufferPool.Instance.Return(chunk);
                throw;
            }
        }
    }

    /// <summary>Gets the blob's system properties and metadata (Get Blob Properties).</summary>
    public async Task<BlobProperties> GetPropertiesAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Head, Uri);
        BlobRequestConditions.Apply(conditions, message.Request);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "GetBlobProperties", true, cancellationToken, 200).ConfigureAwait(false);
        return BlobResponseParser.Properties(response);
    }

    /// <summary>True if the blob exists (a 404 is false; other failures throw).</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await GetPropertiesAsync(null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>Replaces all user metadata (Set Blob Metadata).</summary>
    public async Task<BlobWriteResult> SetMetadataAsync(IReadOnlyDictionary<string, string> metadata, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        BlobNames.ValidateMetadata(metadata);
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Put, Uri, ("comp", "metadata"));
        AddMetadata(message.Request, metadata);
        BlobRequestConditions.Apply(conditions, message.Request);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "SetBlobMetadata", true, cancellationToken, 200).ConfigureAwait(false);
        return BlobResponseParser.WriteResult(response);
    }

    /// <summary>Gets the blob's index tags (Get Blob Tags).</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetTagsAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Get, Uri, ("comp", "tags"));
        ApplyTagConditions(conditions, message.Request);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "GetBlobTags", true, cancellationToken, 200).ConfigureAwait(false);
        return BlobXml.ParseTags(response.ContentStream!);
    }

    /// <summary>Replaces all index tags (Set Blob Tags).</summary>
    public async Task SetTagsAsync(IReadOnlyDictionary<string, string> tags, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        BlobNames.ValidateTags(tags);
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Put, Uri, ("comp", "tags"));
        message.Request.Headers.SetValue("Content-Type", "application/xml; charset=utf-8");
        message.Request.Content = StorageHttp.Utf8Content(BlobXml.TagsBody(tags));
        ApplyTagConditions(conditions, message.Request);
        await StorageHttp.SendAsync(_connection.Pipeline, message, "SetBlobTags", true, cancellationToken, 204, 200).ConfigureAwait(false);
    }

    /// <summary>Deletes the blob (or one version or snapshot of it); a missing blob is a 404 <see cref="StorageRequestException"/>.</summary>
    public async Task DeleteAsync(BlobDeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var message = StorageHttp.CreateMessage(
            _connection.Pipeline,
            RequestMethod.Delete,
            Uri,
            ("snapshot", options?.Snapshot),
            ("versionid", options?.VersionId));
        if (options?.IncludeSnapshots == true)
        {
            if (options.VersionId is not null || options.Snapshot is not null)
            {
                throw new ArgumentException("IncludeSnapshots applies to the base blob, not to one version or snapshot.", nameof(options));
            }

            message.Request.Headers.SetValue("x-ms-delete-snapshots", "include");
        }

        BlobRequestConditions.Apply(options?.Conditions, message.Request);
        await StorageHttp.SendAsync(_connection.Pipeline, message, "DeleteBlob", true, cancellationToken, 202).ConfigureAwait(false);
    }

    /// <summary>Deletes the blob if it exists; returns false when it did not.</summary>
    public async Task<bool> DeleteIfExistsAsync(BlobDeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await DeleteAsync(options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>Creates a read-only snapshot and returns its timestamp (for <see cref="BlobDeleteOptions.Snapshot"/>).</summary>
    public async Task<string> CreateSnapshotAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Put, Uri, ("comp", "snapshot"));
        BlobRequestConditions.Apply(conditions, message.Request);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "SnapshotBlob", true, cancellationToken, 201).ConfigureAwait(false);
        return StorageHttp.Header(response, "x-ms-snapshot") ?? throw new InvalidOperationException("Snapshot Blob returned no x-ms-snapshot header.");
    }

    /// <summary>
    /// Creates an empty append blob (replacing any blob of that name unless
    /// <see cref="BlobUploadOptions.Conditions"/> says <see cref="BlobRequestConditions.CreateOnly"/>).
    /// </summary>
    public Task<BlobWriteResult> CreateAppendBlobAsync(BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ValidateWriteOptions(options);
        return PutBlobAsync(null, "AppendBlob", options, cancellationToken);
    }

    /// <summary>
    /// Appends one block (at most 100 MiB) to an append blob. With <paramref name="appendPosition"/> the
    /// append happens only if the blob is exactly that long (else 412 <c>AppendPositionConditionNotMet</c>),
    /// which makes concurrent writers detect each other instead of interleaving. Pass it whenever a block must
    /// land exactly once: Azure.Core retries a request whose response was lost, and only the position
    /// condition turns a duplicate append into a 412 instead of a second copy.
    /// </summary>
    public async Task<BlobAppendResult> AppendBlockAsync(ReadOnlyMemory<byte> block, long? appendPosition = null, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        if (block.IsEmpty || block.Length > 100 * 1024 * 1024)
        {
            throw new ArgumentException("An append block must be 1 byte to 100 MiB.", nameof(block));
        }

        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Put, Uri, ("comp", "appendblock"));
        message.Request.Content = RequestContent.Create(block);
        if (appendPosition is { } position)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(position, nameof(appendPosition));
            message.Request.Headers.SetValue("x-ms-blob-condition-appendpos", position.ToString(CultureInfo.InvariantCulture));
        }

        BlobRequestConditions.Apply(conditions, message.Request);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "AppendBlock", true, cancellationToken, 201).ConfigureAwait(false);
        return new BlobAppendResult(
            StorageHttp.ETagHeader(response) ?? default,
            StorageHttp.DateHeader(response, "Last-Modified"),
            StorageHttp.LongHeader(response, "x-ms-blob-append-offset") ?? -1,
            (int)(StorageHttp.LongHeader(response, "x-ms-blob-committed-block-count") ?? -1));
    }

    /// <summary>Acquires a lease: 15-60 seconds, or infinite when <paramref name="duration"/> is null. A held lease is a 409.</summary>
    public async Task<BlobLease> AcquireLeaseAsync(TimeSpan? duration = null, string? proposedLeaseId = null, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        var seconds = duration is { } d ? (int)d.TotalSeconds : -1;
        if (seconds != -1 && seconds is < 15 or > 60)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), "A lease lasts 15 to 60 seconds, or is infinite (null).");
        }

        using var message = LeaseMessage("acquire");
        message.Request.Headers.SetValue("x-ms-lease-duration", seconds.ToString(CultureInfo.InvariantCulture));
        if (proposedLeaseId is not null)
        {
            message.Request.Headers.SetValue("x-ms-proposed-lease-id", proposedLeaseId);
        }

        BlobRequestConditions.Apply(conditions, message.Request, allowLease: false);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "AcquireBlobLease", true, cancellationToken, 201).ConfigureAwait(false);
        return new BlobLease(StorageHttp.Header(response, "x-ms-lease-id") ?? throw new InvalidOperationException("Lease Blob returned no lease id."), StorageHttp.ETagHeader(response));
    }

    /// <summary>Renews a lease (restarts its duration).</summary>
    public async Task<BlobLease> RenewLeaseAsync(string leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseId);
        using var message = LeaseMessage("renew");
        message.Request.Headers.SetValue("x-ms-lease-id", leaseId);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "RenewBlobLease", true, cancellationToken, 200).ConfigureAwait(false);
        return new BlobLease(StorageHttp.Header(response, "x-ms-lease-id") ?? leaseId, StorageHttp.ETagHeader(response));
    }

    /// <summary>Changes the id of a held lease.</summary>
    public async Task<BlobLease> ChangeLeaseAsync(string leaseId, string proposedLeaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseId);
        ArgumentException.ThrowIfNullOrEmpty(proposedLeaseId);
        using var message = LeaseMessage("change");
        message.Request.Headers.SetValue("x-ms-lease-id", leaseId);
        message.Request.Headers.SetValue("x-ms-proposed-lease-id", proposedLeaseId);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "ChangeBlobLease", true, cancellationToken, 200).ConfigureAwait(false);
        return new BlobLease(StorageHttp.Header(response, "x-ms-lease-id") ?? proposedLeaseId, StorageHttp.ETagHeader(response));
    }

    /// <summary>Releases a lease so others may write or lease at once.</summary>
    public async Task ReleaseLeaseAsync(string leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseId);
        using var message = LeaseMessage("release");
        message.Request.Headers.SetValue("x-ms-lease-id", leaseId);
        await StorageHttp.SendAsync(_connection.Pipeline, message, "ReleaseBlobLease", true, cancellationToken, 200).ConfigureAwait(false);
    }

    /// <summary>Breaks a lease without knowing its id; returns how long until it is broken (zero = now).</summary>
    public async Task<TimeSpan> BreakLeaseAsync(TimeSpan? breakPeriod = null, CancellationToken cancellationToken = default)
    {
        using var message = LeaseMessage("break");
        if (breakPeriod is { } period)
        {
            var seconds = (int)period.TotalSeconds;
            ArgumentOutOfRangeException.ThrowIfNegative(seconds, nameof(breakPeriod));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, 60, nameof(breakPeriod));
            message.Request.Headers.SetValue("x-ms-lease-break-period", seconds.ToString(CultureInfo.InvariantCulture));
        }

        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "BreakBlobLease", true, cancellationToken, 202).ConfigureAwait(false);
        return TimeSpan.FromSeconds(StorageHttp.LongHeader(response, "x-ms-lease-time") ?? 0);
    }

    /// <summary>
    /// Sets a version-level immutability (WORM) policy. Throws <see cref="NotSupportedException"/>, sending
    /// nothing, when <see cref="StorageConnection.ImmutabilitySupported"/> is false (Azurite).
    /// </summary>
    public async Task<BlobImmutabilityPolicy> SetImmutabilityPolicyAsync(BlobImmutabilityPolicy policy, string? versionId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        EnsureImmutabilitySupported();
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Put, Uri, ("comp", "immutabilityPolicies"), ("versionid", versionId));
        message.Request.Headers.SetValue("x-ms-immutability-policy-until-date", StorageHttp.Rfc1123(policy.ExpiresOn));
        message.Request.Headers.SetValue("x-ms-immutability-policy-mode", ModeText(policy.Mode));
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "SetBlobImmutabilityPolicy", true, cancellationToken, 200).ConfigureAwait(false);
        var until = StorageHttp.DateHeader(response, "x-ms-immutability-policy-until-date") ?? policy.ExpiresOn;
        var mode = string.Equals(StorageHttp.Header(response, "x-ms-immutability-policy-mode"), "locked", StringComparison.OrdinalIgnoreCase) ? BlobImmutabilityMode.Locked : policy.Mode;
        return new BlobImmutabilityPolicy(until, mode);
    }

    /// <summary>Deletes an unlocked immutability policy. Same support rule as <see cref="SetImmutabilityPolicyAsync"/>.</summary>
    public async Task DeleteImmutabilityPolicyAsync(string? versionId = null, CancellationToken cancellationToken = default)
    {
        EnsureImmutabilitySupported();
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Delete, Uri, ("comp", "immutabilityPolicies"), ("versionid", versionId));
        await StorageHttp.SendAsync(_connection.Pipeline, message, "DeleteBlobImmutabilityPolicy", true, cancellationToken, 200).ConfigureAwait(false);
    }

    /// <summary>Sets or clears a legal hold. Same support rule as <see cref="SetImmutabilityPolicyAsync"/>.</summary>
    public async Task<bool> SetLegalHoldAsync(bool hold, string? versionId = null, CancellationToken cancellationToken = default)
    {
        EnsureImmutabilitySupported();
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Put, Uri, ("comp", "legalhold"), ("versionid", versionId));
        message.Request.Headers.SetValue("x-ms-legal-hold", hold ? "true" : "false");
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "SetBlobLegalHold", true, cancellationToken, 200).ConfigureAwait(false);
        return StorageHttp.Header(response, "x-ms-legal-hold") is { } v ? string.Equals(v, "true", StringComparison.OrdinalIgnoreCase) : hold;
    }

    internal async ValueTask<BlobDownload> DownloadCoreAsync(BlobRange? range, BlobRequestConditions? conditions, bool async, CancellationToken cancellationToken)
    {
        var (stream, response) = await GetAsync(range, conditions, async, cancellationToken).ConfigureAwait(false);
        var properties = BlobResponseParser.Properties(response);
        var contentLength = StorageHttp.LongHeader(response, "Content-Length") ?? properties.ContentLength;
        var start = range?.Offset ?? 0;
        var pinned = new BlobRequestConditions { IfMatch = properties.ETag, LeaseId = conditions?.LeaseId };
        var resumable = new BlobDownloadStream(stream, start, contentLength, Options.MaxDownloadResumes, async (offset, remaining, isAsync, ct) =>
            (await GetAsync(new BlobRange(offset, remaining), pinned, isAsync, ct).ConfigureAwait(false)).Stream);
        return new BlobDownload(resumable, properties, range, contentLength);
    }

    private async ValueTask<(Stream Stream, Response Response)> GetAsync(BlobRange? range, BlobRequestConditions? conditions, bool async, CancellationToken cancellationToken)
    {
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Get, Uri);
        message.BufferResponse = false;
        if (range is { } r)
        {
            message.Request.Headers.SetValue("x-ms-range", r.ToHeaderValue());
        }

        BlobRequestConditions.Apply(conditions, message.Request);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "GetBlob", async, cancellationToken, 200, 206).ConfigureAwait(false);
        var stream = message.ExtractResponseContent() ?? Stream.Null;
        return (stream, response);
    }

    private async Task<BlobWriteResult> PutBlobAsync(RequestContent? content, string blobType, BlobUploadOptions? options, CancellationToken cancellationToken, string? contentMd5 = null)
    {
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Put, Uri);
        message.Request.Headers.SetValue("x-ms-blob-type", blobType);
        if (contentMd5 is not null)
        {
            message.Request.Headers.SetValue("Content-MD5", contentMd5);
        }

        message.Request.Content = content ?? RequestContent.Create(ReadOnlyMemory<byte>.Empty);
        AddWriteHeaders(message.Request, options);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, blobType == "AppendBlob" ? "CreateAppendBlob" : "PutBlob", true, cancellationToken, 201).ConfigureAwait(false);
        return BlobResponseParser.WriteResult(response, contentHashed: blobType == "BlockBlob");
    }

    private async Task<BlobWriteResult> StageAndCommitAsync(Stream content, byte[]? firstBuffer, int firstLength, BlobUploadOptions? options, CancellationToken cancellationToken)
    {
        var blockSize = Options.BlockSizeBytes;
        var blockIds = new List<string>();
        var inFlight = new List<Task>();
        var slots = new SemaphoreSlim(Options.MaxUploadConcurrency, Options.MaxUploadConcurrency);
        var uploadId = Guid.NewGuid().ToByteArray();
        var leaseId = options?.Conditions?.LeaseId;
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            if (firstBuffer is not null)
            {
                await slots.WaitAsync(failFast.Token).ConfigureAwait(false);
            }

            while (true)
            {
                byte[] buffer;
                int length;
                if (firstBuffer is not null)
                {
                    (buffer, length, firstBuffer) = (firstBuffer, firstLength, null);
                }
                else
                {
                    await slots.WaitAsync(failFast.Token).ConfigureAwait(false);
                    buffer = BlobBufferPool.Instance.Rent(blockSize);
                    try
                    {
                        length = await FillAsync(content, buffer, blockSize, failFast.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        BlobBufferPool.Instance.Return(buffer);
                        slots.Release();
                        throw;
                    }
                }

                if (length == 0)
                {
                    BlobBufferPool.Instance.Return(buffer);
                    slots.Release();
                    break;
                }

                var blockId = BlockId(uploadId, blockIds.Count);
                blockIds.Add(blockId);
                inFlight.Add(StageBlockAsync(blockId, buffer, length, leaseId, options?.TransactionalMd5 == true, slots, failFast));
                inFlight.RemoveAll(t => t.IsCompletedSuccessfully);
                if (inFlight.Find(t => t.IsFaulted || t.IsCanceled) is { } failed)
                {
                    await failed.ConfigureAwait(false);
                }

                if (length < blockSize)
                {
                    break;
                }
            }

            await Task.WhenAll(inFlight).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await failFast.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(inFlight).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Only the first real failure matters; the others are cancellations it caused.
            }

            if (firstBuffer is not null)
            {
                BlobBufferPool.Instance.Return(firstBuffer);
            }

            var cause = inFlight.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException).FirstOrDefault(e => e is not OperationCanceledException);
            if (ex is OperationCanceledException && cause is not null && !cancellationToken.IsCancellationRequested)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }

        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Put, Uri, ("comp", "blocklist"));
        message.Request.Content = StorageHttp.Utf8Content(BlobXml.BlockListBody(blockIds));
        AddWriteHeaders(message.Request, options);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "PutBlockList", true, cancellationToken, 201).ConfigureAwait(false);
        return BlobResponseParser.WriteResult(response);
    }

    private async Task StageBlockAsync(string blockId, byte[] buffer, int length, string? leaseId, bool md5, SemaphoreSlim slots, CancellationTokenSource failFast)
    {
        try
        {
            // An async method runs synchronously up to its first await: yield first, so the MD5 below (and the request
            // set-up) run on the thread pool while the producer fills the next block, instead of stalling it.
            await Task.Yield();
            using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Put, Uri, ("comp", "block"), ("blockid", blockId));
            message.Request.Content = RequestContent.Create(buffer.AsMemory(0, length));
            if (md5)
            {
                message.Request.Headers.SetValue("Content-MD5", Md5(buffer.AsSpan(0, length)));
            }

            if (leaseId is not null)
            {
                message.Request.Headers.SetValue("x-ms-lease-id", leaseId);
            }

            await StorageHttp.SendAsync(_connection.Pipeline, message, "PutBlock", true, failFast.Token, 201).ConfigureAwait(false);
        }
        catch
        {
            await failFast.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            BlobBufferPool.Instance.Return(buffer);
            slots.Release();
        }
    }

    /// <summary>Equal-length ids (the service requires it): 16 random bytes of this upload + the block index.</summary>
    private static string BlockId(byte[] uploadId, int index)
    {
        Span<byte> raw = stackalloc byte[24];
        uploadId.CopyTo(raw);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(raw[16..], index);
        return Convert.ToBase64String(raw);
    }

    private static async ValueTask<int> FillAsync(Stream source, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < count)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled, count - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static string Md5(ReadOnlySpan<byte> data)
    {
#pragma warning disable CA5351 // Transactional integrity check required by the Blob service, not a security hash.
        return Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(data));
#pragma warning restore CA5351
    }

    private void AddWriteHeaders(Request request, BlobUploadOptions? options)
    {
        request.Headers.SetValue("x-ms-blob-content-type", options?.ContentType ?? "application/octet-stream");
        if (options?.Metadata is { } metadata)
        {
            AddMetadata(request, metadata);
        }

        if (options?.TrailingMetadata is { } trailing)
        {
            // Reached only after the content was read to its end (Put Blob from the read-ahead buffer, or Put Block List).
            var late = trailing();
            BlobNames.ValidateMetadata(late);
            AddMetadata(request, late);
        }

        if (options?.Tags is { Count: > 0 } tags)
        {
            request.Headers.SetValue("x-ms-tags", BlobNames.TagHeader(tags));
        }

        if (options?.ImmutabilityPolicy is { } policy)
        {
            request.Headers.SetValue("x-ms-immutability-policy-until-date", StorageHttp.Rfc1123(policy.ExpiresOn));
            request.Headers.SetValue("x-ms-immutability-policy-mode", ModeText(policy.Mode));
        }

        if (options?.LegalHold is { } hold)
        {
            request.Headers.SetValue("x-ms-legal-hold", hold ? "true" : "false");
        }

        BlobRequestConditions.Apply(options?.Conditions, request);
    }

    private static void AddMetadata(Request request, IReadOnlyDictionary<string, string> metadata)
    {
        foreach (var (key, value) in metadata)
        {
            request.Headers.SetValue("x-ms-meta-" + key, value);
        }
    }

    private static void ApplyTagConditions(BlobRequestConditions? conditions, Request request)
    {
        if (conditions?.IfMatch is not null || conditions?.IfNoneMatch is not null)
        {
            throw new ArgumentException("Blob tag operations accept only lease and tag conditions, not ETags.", nameof(conditions));
        }

        BlobRequestConditions.Apply(conditions, request);
    }

    private void ValidateWriteOptions(BlobUploadOptions? options)
    {
        if (options is null)
        {
            return;
        }

        BlobNames.ValidateMetadata(options.Metadata);
        BlobNames.ValidateTags(options.Tags);
        if (options.ImmutabilityPolicy is not null || options.LegalHold is not null)
        {
            EnsureImmutabilitySupported();
        }
    }

    private void EnsureImmutabilitySupported()
    {
        if (!_connection.ImmutabilitySupported)
        {
            throw new NotSupportedException(
                $"Immutability policies and legal holds are switched off for this storage connection ({StorageOptions.SettingKeys.ImmutabilitySupported}=false, the default for Azurite and local endpoints).");
        }
    }

    private static string ModeText(BlobImmutabilityMode mode) => mode switch
    {
        BlobImmutabilityMode.Unlocked => "Unlocked",
        BlobImmutabilityMode.Locked => "Locked",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    private HttpMessage LeaseMessage(string action)
    {
        var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Put, Uri, ("comp", "lease"));
        message.Request.Headers.SetValue("x-ms-lease-action", action);
        return message;
    }
}
