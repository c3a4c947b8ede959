using System.Globalization;
using System.Text.Json;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Minimization;
using CloudArchive.Core.Policies;
using CloudArchive.Core.Retention;
using CloudArchive.Dicom;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// Takes one upload into the archive (ARCHITECTURE §6): validate → minimize → retention date → encrypt under the
/// study key → create-only write with index tags → read back and verify → audit 110107 → encrypted index record →
/// delete the upload; or quarantine it with a reason. Streams throughout: the upload is read with ranged reads,
/// bulk values (pixel data) are never held in memory, and the minimized rewrite is spooled to a temporary file.
/// </summary>
/// <remarks>
/// Idempotence: names derive deterministically from the UIDs, the archive write is create-only, and the index
/// record is written last before the upload is deleted, so a re-delivered event finds either nothing (upload gone:
/// <see cref="IngestOutcome.AlreadyHandled"/>), an archived blob without index record (an interrupted ingest, which is
/// completed), or a complete instance (<see cref="IngestOutcome.Duplicate"/>). Transient storage failures are thrown so
/// the host re-delivers the event.
/// </remarks>
public sealed class IngestService : IIngestHandler, IDisposable
{
    private const int CopyBufferSize = 81920;
    private const int InstanceGateCount = 64;

    private readonly IIncomingStore _incoming;
    private readonly IArchiveStore _archive;
    private readonly IQuarantineStore _quarantine;
    private readonly Keyring _keyring;
    private readonly IngestPolicies _policies;
    private readonly DataMinimizer _minimizer;
    private readonly AuditLogWriter _audit;
    private readonly IngestOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EnvelopeEncryptor _encryptor = new();
    private readonly InstanceIndex _index;
    private readonly AuditActor _actor;
    private readonly HashSet<string>? _allowedSopClasses;
    private readonly SemaphoreSlim _keysGate = new(1, 1);
    private readonly SemaphoreSlim[] _instanceGates = Enumerable.Range(0, InstanceGateCount).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private IngestKeys? _keys;

    /// <summary>Creates the service.</summary>
    /// <param name="incoming">The <c>incoming</c> container.</param>
    /// <param name="archive">The <c>archive</c> container.</param>
    /// <param name="quarantine">The <c>quarantine</c> container.</param>
    /// <param name="keyring">Study keys and the index key.</param>
    /// <param name="policies">Validated retention and minimization policies.</param>
    /// <param name="audit">The audit log writer.</param>
    /// <param name="options">Limits and settings.</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="logger">Logger (opaque keys and codes only).</param>
    public IngestService(IIncomingStore incoming, IArchiveStore archive, IQuarantineStore quarantine, Keyring keyring, IngestPolicies policies, AuditLogWriter audit, IngestOptions? options = null, TimeProvider? timeProvider = null, ILogger<IngestService>? logger = null)
    {
        _incoming = incoming ?? throw new ArgumentNullException(nameof(incoming));
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        _quarantine = quarantine ?? throw new ArgumentNullException(nameof(quarantine));
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        _policies = policies ?? throw new ArgumentNullException(nameof(policies));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _options = options ?? new IngestOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _minimizer = new DataMinimizer(policies.Minimization);
        _index = new InstanceIndex(archive, keyring, _encryptor);
        _actor = new AuditActor(_options.AuditActorId, app: "cloudarchive-functions", role: "ingest");
        _allowedSopClasses = _options.AllowedSopClasses is { Count: > 0 } allowed ? new HashSet<string>(allowed, StringComparer.Ordinal) : null;
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxInstanceBytes, 1);
    }

    /// <inheritdoc />
    public async Task<IngestResult> IngestAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var upload = await _incoming.OpenAsync(request.Container, request.BlobName, cancellationToken).ConfigureAwait(false);
        if (upload is null)
        {
            _logger.LogInformation("Ingest {CorrelationId} event {EventId}: upload no longer exists (already handled).", request.CorrelationId, request.EventId);
            return new IngestResult(IngestOutcome.AlreadyHandled);
        }

        await using (upload.ConfigureAwait(false))
        {
            var keys = await GetKeysAsync(cancellationToken).ConfigureAwait(false);
            var context = new Context(request, upload, keys);
            IngestResult result;
            try
            {
                result = await RunAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (IngestRejection rejection)
            {
                result = await QuarantineAsync(context, rejection.Reason, rejection.Message, cancellationToken).ConfigureAwait(false);
            }

            _logger.LogInformation(
                "Ingest {CorrelationId} event {EventId}: {Outcome} instance {InstanceKey} {ReasonCode}",
                request.CorrelationId,
                request.EventId,
                result.Outcome,
                result.InstanceKey,
                result.ReasonCode);
            return result;
        }
    }

    /// <summary>Releases the derived keys.</summary>
    public void Dispose()
    {
        _keys?.Dispose();
        _keysGate.Dispose();
        foreach (var gate in _instanceGates)
        {
            gate.Dispose();
        }
    }

    private async Task<IngestResult> RunAsync(Context context, CancellationToken cancellationToken)
    {
        var upload = context.Upload;
        if (upload.Length == 0)
        {
            throw new IngestRejection(QuarantineReason.Empty, "The upload is empty (0 bytes).");
        }

        if (upload.Length > _options.MaxInstanceBytes)
        {
            throw new IngestRejection(QuarantineReason.Oversized, string.Create(CultureInfo.InvariantCulture, $"The upload has {upload.Length} bytes; the limit is {_options.MaxInstanceBytes} bytes."));
        }

        upload.Content.Position = 0;
        (context.UploadMac, _) = await context.Keys.Mac.ComputeAsync(upload.Content, cancellationToken).ConfigureAwait(false);

        upload.Content.Position = 0;
        var file = await ReadDicomAsync(upload, cancellationToken).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            var instance = Validate(file);
            context.InstanceKey = context.Keys.ForUid(instance.SopInstanceUid);
            var studyKey = context.Keys.ForUid(instance.StudyInstanceUid);
            var seriesKey = context.Keys.ForUid(instance.SeriesInstanceUid);
            var dataset = file.Dataset;
            var patient = context.Keys.PatientPseudonym(dataset.GetString(DicomTag.Parse("(0010,0020)")), dataset.GetString(DicomTag.Parse("(0010,0021)")));

            var now = _time.GetUtcNow();
            RetentionDecision retention;
            try
            {
                var facts = RetentionFactsReader.Read(dataset, DateOnly.FromDateTime(now.UtcDateTime), _options.Jurisdiction);
                retention = _policies.Retention.Evaluate(facts);
            }
            catch (RetentionEvaluationException)
            {
                throw new IngestRejection(QuarantineReason.RetentionUndetermined, "No retention rule applies to this instance.");
            }

            var studyDate = RetentionFactsReader.ParseDate(dataset.GetString(DicomTag.Parse("(0008,0020)")));
            var modality = CleanCode(dataset.GetString(DicomTag.Parse("(0008,0060)")));
            var bodyPart = CleanCode(dataset.GetString(DicomTag.Parse("(0018,0015)")));
            var minimization = _minimizer.Apply(dataset);

            SymmetricKeyEncryptionKey studyKek;
            try
            {
                studyKek = await _keyring.GetOrCreateStudyKeyAsync(studyKey, cancellationToken).ConfigureAwait(false);
            }
            catch (KeyringException ex) when (ex.Reason == KeyringFailureReason.StudyShredded)
            {
                throw new IngestRejection(QuarantineReason.StudyShredded, $"Study {studyKey} was crypto-shredded; new instances of it are not accepted.");
            }

            using (studyKek)
            {
                var plain = await OpenPlaintextAsync(context, file, minimization, cancellationToken).ConfigureAwait(false);
                await using (plain.Stream.ConfigureAwait(false))
                {
                    var record = new InstanceIndexRecord
                    {
                        StudyKey = studyKey,
                        SeriesKey = seriesKey,
                        InstanceKey = context.InstanceKey,
                        PatientPseudonym = patient,
                        StudyDate = studyDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        Modality = modality,
                        BodyPart = bodyPart,
                        SopClassUid = instance.SopClassUid,
                        TransferSyntaxUid = file.TransferSyntax.Uid,
                        UploadLength = upload.Length,
                        ArchivedLength = plain.Length,
                        MinimizationPolicy = minimization.PolicyName,
                        RemovedPaths = minimization.RemovedPaths,
                        RetainUntil = retention.RetainUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        RetentionRule = retention.DecidedBy.Rule.Id,
                        RetentionExplanation = retention.Explain(),
                        IngestedAt = now,
                        CorrelationId = context.Request.CorrelationId,
                    };

                    // Deliveries of the same instance in this process take turns, so a concurrent duplicate sees a completed
                    // ingest (Duplicate) rather than a half-written one. Across processes the create-only write still
                    // guarantees one blob; only the audit may then record the completion twice (docs/ingest.md).
                    var gate = _instanceGates[(int)((uint)StringComparer.Ordinal.GetHashCode(context.InstanceKey) % InstanceGateCount)];
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        var archiveName = ArchiveNames.Instance(studyKey, context.InstanceKey);
                        var existing = await _archive.GetInfoAsync(archiveName, cancellationToken).ConfigureAwait(false);
                        if (existing is null)
                        {
                            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
                            var tags = new Dictionary<string, string>(StringComparer.Ordinal)
                            {
                                [ArchiveMetadata.StudyTag] = studyKey,
                                [ArchiveMetadata.PatientTag] = patient ?? "none",
                                [ArchiveMetadata.RetainUntilTag] = record.RetainUntil,
                                [ArchiveMetadata.HoldTag] = "0",
                            };
                            bool created;
                            var encrypted = await _encryptor.EncryptAsync(plain.Stream, studyKek, leaveOpen: true, plainLength: plain.Length, cancellationToken: cancellationToken).ConfigureAwait(false);
                            await using (encrypted.ConfigureAwait(false))
                            {
                                foreach (var (name, value) in encrypted.GetMetadata())
                                {
                                    metadata[name] = value;
                                }

                                metadata[ArchiveMetadata.UploadMac] = context.UploadMac!;
                                metadata[ArchiveMetadata.PlainMac] = plain.Mac;
                                metadata[ArchiveMetadata.UploadLength] = upload.Length.ToString(CultureInfo.InvariantCulture);
                                metadata[ArchiveMetadata.SourceMac] = SourceMac(context);
                                created = await _archive.TryCreateAsync(archiveName, encrypted, metadata, tags, cancellationToken).ConfigureAwait(false);
                            }

                            if (created)
                            {
                                return await CompleteAsync(context, record, archiveName, plain, retention, minimization, resumed: false, cancellationToken).ConfigureAwait(false);
                            }

                            // Another delivery of the same instance committed first: judge its blob like any existing one.
                            existing = await _archive.GetInfoAsync(archiveName, cancellationToken).ConfigureAwait(false)
                                ?? throw new InvalidOperationException("The archive reported an existing blob that cannot be found; retrying.");
                        }

                        var sameContent = Matches(existing, ArchiveMetadata.UploadMac, context.UploadMac!) || Matches(existing, ArchiveMetadata.PlainMac, plain.Mac);
                        if (!sameContent)
                        {
                            throw new IngestRejection(QuarantineReason.Conflict, $"Instance {context.InstanceKey} is already archived with different content; the archived copy was left unchanged.");
                        }

                        if (Matches(existing, ArchiveMetadata.SourceMac, SourceMac(context))
                            && !await _index.ExistsAsync(studyKey, context.InstanceKey, cancellationToken).ConfigureAwait(false))
                        {
                            // The archive blob exists but the ingest that wrote it stopped before its index record: finish it.
                            return await CompleteAsync(context, record, archiveName, plain, retention, minimization, resumed: true, cancellationToken).ConfigureAwait(false);
                        }

                        await AuditAsync(context, AuditEventType.Import, AuditOutcome.Success, studyKey, patient, ["duplicate"], cancellationToken).ConfigureAwait(false);
                        await _incoming.DeleteAsync(context.Request.Container, context.Request.BlobName, upload.ETag, cancellationToken).ConfigureAwait(false);
                        return new IngestResult(IngestOutcome.Duplicate, context.InstanceKey, "duplicate");
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }
        }
    }

    private async Task<IngestResult> CompleteAsync(Context context, InstanceIndexRecord record, string archiveName, Plaintext plain, RetentionDecision retention, MinimizationReport minimization, bool resumed, CancellationToken cancellationToken)
    {
        var problem = await VerifyArchivedAsync(archiveName, plain, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            await AuditAsync(context, AuditEventType.SecurityAlert, AuditOutcome.MajorFailure, record.StudyKey, record.PatientPseudonym, ["verification-failed"], cancellationToken).ConfigureAwait(false);
            throw new IngestRejection(QuarantineReason.VerificationFailed, $"The archived copy of instance {context.InstanceKey} did not read back as valid ({problem}); it was left in place for investigation.");
        }

        var details = new List<string> { resumed ? "resumed" : "archived", minimization.Changed ? "minimized" : "unchanged", "retention-rule=" + retention.DecidedBy.Rule.Id };
        await AuditAsync(context, AuditEventType.Import, AuditOutcome.Success, record.StudyKey, record.PatientPseudonym, details, cancellationToken, bytes: context.Upload.Length).ConfigureAwait(false);
        await _index.WriteAsync(record, cancellationToken).ConfigureAwait(false);
        await _incoming.DeleteAsync(context.Request.Container, context.Request.BlobName, context.Upload.ETag, cancellationToken).ConfigureAwait(false);
        return new IngestResult(IngestOutcome.Archived, context.InstanceKey, resumed ? "resumed" : null);
    }

    /// <summary>Decrypts the committed blob end to end and compares length and MAC with what was meant to be written.</summary>
    private async Task<string?> VerifyArchivedAsync(string archiveName, Plaintext plain, CancellationToken cancellationToken)
    {
        var info = await _archive.GetInfoAsync(archiveName, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return "blob missing after commit";
        }

        if (!Matches(info, ArchiveMetadata.PlainMac, plain.Mac))
        {
            return "content MAC metadata differs";
        }

        try
        {
            var decryptor = new EnvelopeDecryptor(_keyring.StudyKeyResolver);
            var cipher = await _archive.OpenReadAsync(archiveName, cancellationToken).ConfigureAwait(false);
            await using (cipher.ConfigureAwait(false))
            {
                var decrypted = await decryptor.OpenReadAsync(cipher, info.Metadata, info.Length, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (decrypted.ConfigureAwait(false))
                {
                    var keys = await GetKeysAsync(cancellationToken).ConfigureAwait(false);
                    var (mac, length) = await keys.Mac.ComputeAsync(decrypted, cancellationToken).ConfigureAwait(false);
                    if (length != plain.Length)
                    {
                        return "decrypted length differs";
                    }

                    return string.Equals(mac, plain.Mac, StringComparison.Ordinal) ? null : "decrypted content differs";
                }
            }
        }
        catch (EnvelopeDecryptionException ex)
        {
            return "decryption failed: " + ex.Reason;
        }
    }

    private async Task<IngestResult> QuarantineAsync(Context context, QuarantineReason reason, string message, CancellationToken cancellationToken)
    {
        var code = QuarantineReasonCodes.For(reason);
        var reasonJson = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["schema"] = "cloudarchive/quarantine-reason/v1",
            ["reason"] = code,
            ["message"] = message,
            ["instanceKey"] = context.InstanceKey,
            ["uploadLength"] = context.Upload.Length,
            ["correlationId"] = context.Request.CorrelationId,
            ["eventId"] = context.Request.EventId,
            ["time"] = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
        });

        context.Upload.Content.Position = 0;
        await _quarantine.PlaceAsync(context.Request.BlobName, context.Upload.Content, context.UploadMac, reasonJson, cancellationToken).ConfigureAwait(false);
        await AuditAsync(context, AuditEventType.Import, AuditOutcome.MinorFailure, null, null, ["quarantined", "reason=" + code], cancellationToken).ConfigureAwait(false);
        await _incoming.DeleteAsync(context.Request.Container, context.Request.BlobName, context.Upload.ETag, cancellationToken).ConfigureAwait(false);
        return new IngestResult(IngestOutcome.Quarantined, context.InstanceKey, QuarantineReasonCodes.ResultCode(reason));
    }

    private async Task AuditAsync(Context context, AuditEventType type, AuditOutcome outcome, string? studyKey, string? patient, IReadOnlyList<string> details, CancellationToken cancellationToken, long? bytes = null)
    {
        var auditEvent = new AuditEvent
        {
            EventType = type,
            Action = AuditAction.Create,
            Outcome = outcome,
            Actor = _actor,
            Study = OpaqueKeyOrNull(studyKey),
            Instance = OpaqueKeyOrNull(context.InstanceKey),
            Patient = OpaqueKeyOrNull(patient),
            Bytes = bytes ?? context.Upload.Length,
            CorrelationId = AuditFieldRules.CorrelationId().IsMatch(context.Request.CorrelationId) ? context.Request.CorrelationId : null,
            Details = details,
        };
        await _audit.AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DicomFile> ReadDicomAsync(IncomingUpload upload, CancellationToken cancellationToken)
    {
        var hasPart10Header = await HasPart10HeaderAsync(upload.Content, cancellationToken).ConfigureAwait(false);
        upload.Content.Position = 0;
        var options = new DicomReaderOptions
        {
            MaxInflatedLength = _options.MaxInflatedBytes,
            MaxDeflateRatio = _options.MaxDeflateRatio,
            TempDirectory = _options.TempDirectory,
        };
        DicomFile file;
        try
        {
            file = await DicomFile.ReadAsync(upload.Content, options, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomFormatException ex)
        {
            if (!hasPart10Header)
            {
                throw new IngestRejection(QuarantineReason.NotDicom, "The upload is not DICOM: no Part 10 header (128-byte preamble + \"DICM\") and no parseable dataset.");
            }

            var reason = ex.Reason.Contains("deflate bomb", StringComparison.OrdinalIgnoreCase) ? QuarantineReason.DeflateBomb : QuarantineReason.DicomFormat;
            var where = ex.Tag is { } tag
                ? string.Create(CultureInfo.InvariantCulture, $" at offset {ex.Offset} in {tag}")
                : string.Create(CultureInfo.InvariantCulture, $" at offset {ex.Offset}");
            throw new IngestRejection(reason, "DicomFormat: " + ex.Reason + where);
        }

        if (!file.HadFileMetaInformation || !hasPart10Header)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw new IngestRejection(QuarantineReason.NotPart10, "The upload is a DICOM dataset without the Part 10 preamble and File Meta Information; only Part 10 files are accepted.");
        }

        if (file.TransferSyntaxWasGuessed)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw new IngestRejection(QuarantineReason.MissingTransferSyntax, "The File Meta Information has no Transfer Syntax UID (0002,0010).");
        }

        return file;
    }

    private static async Task<bool> HasPart10HeaderAsync(Stream content, CancellationToken cancellationToken)
    {
        if (content.Length < 132)
        {
            return false;
        }

        content.Position = 128;
        var magic = new byte[4];
        await content.ReadExactlyAsync(magic, cancellationToken).ConfigureAwait(false);
        return magic is [(byte)'D', (byte)'I', (byte)'C', (byte)'M'];
    }

    private InstanceUids Validate(DicomFile file)
    {
        var dataset = file.Dataset;
        var sopClass = RequireUid(dataset, DicomTags.SopClassUid, "SOPClassUID");
        var sopInstance = RequireUid(dataset, DicomTags.SopInstanceUid, "SOPInstanceUID");
        var study = RequireUid(dataset, DicomTag.Parse("(0020,000D)"), "StudyInstanceUID");
        var series = RequireUid(dataset, DicomTag.Parse("(0020,000E)"), "SeriesInstanceUID");

        var meta = file.FileMetaInformation;
        var metaInstance = meta.GetString(DicomTag.Parse("(0002,0003)"));
        if (DicomUid.TryNormalize(metaInstance, out var metaInstanceUid, out _) && !string.Equals(metaInstanceUid, sopInstance, StringComparison.Ordinal))
        {
            throw new IngestRejection(QuarantineReason.MetaMismatch, "MediaStorageSOPInstanceUID (0002,0003) differs from SOPInstanceUID (0008,0018).");
        }

        var metaClass = meta.GetString(DicomTag.Parse("(0002,0002)"));
        if (DicomUid.TryNormalize(metaClass, out var metaClassUid, out _) && !string.Equals(metaClassUid, sopClass, StringComparison.Ordinal))
        {
            throw new IngestRejection(QuarantineReason.MetaMismatch, "MediaStorageSOPClassUID (0002,0002) differs from SOPClassUID (0008,0016).");
        }

        if (_allowedSopClasses is not null && !_allowedSopClasses.Contains(sopClass))
        {
            throw new IngestRejection(QuarantineReason.SopClassNotAllowed, $"SOP class {sopClass} is not in the allowed list (CloudArchive:Ingest:AllowedSopClasses).");
        }

        return new InstanceUids(sopClass, sopInstance, study, series);
    }

    private static string RequireUid(DicomDataset dataset, DicomTag tag, string keyword)
    {
        string? raw;
        try
        {
            raw = dataset.Contains(tag) ? dataset.GetString(tag) : null;
        }
        catch (Exception ex) when (ex is DicomFormatException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new IngestRejection(QuarantineReason.InvalidUid, $"{keyword} {tag} cannot be decoded.");
        }

        if (raw is null || raw.TrimEnd('\0', ' ').Length == 0)
        {
            throw new IngestRejection(QuarantineReason.MissingAttribute, $"Required attribute {keyword} {tag} is missing or empty.");
        }

        if (!DicomUid.TryNormalize(raw, out var uid, out var problem))
        {
            throw new IngestRejection(QuarantineReason.InvalidUid, $"{keyword} {tag} is not a valid UID: it {problem}.");
        }

        return uid;
    }

    private async Task<Plaintext> OpenPlaintextAsync(Context context, DicomFile file, MinimizationReport minimization, CancellationToken cancellationToken)
    {
        var upload = context.Upload;
        if (!minimization.Changed)
        {
            // Nothing removed: archive the upload's own bytes, so the plaintext is byte-identical to what was sent.
            upload.Content.Position = 0;
            return new Plaintext(new NonDisposingStream(upload.Content), upload.Length, context.UploadMac!);
        }

        var directory = _options.TempDirectory ?? Path.GetTempPath();
        var path = Path.Combine(directory, "cloudarchive-ingest-" + Guid.NewGuid().ToString("N") + ".tmp");
        var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, CopyBufferSize, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            using var hash = context.Keys.Mac.CreateIncremental();
            var macStream = new MacWriteStream(spool, hash);
            await using (macStream.ConfigureAwait(false))
            {
                await file.WriteAsync(macStream, cancellationToken: cancellationToken).ConfigureAwait(false);
                await macStream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            spool.Position = 0;
            return new Plaintext(spool, spool.Length, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<IngestKeys> GetKeysAsync(CancellationToken cancellationToken)
    {
        if (_keys is { } keys)
        {
            return keys;
        }

        await _keysGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _keys ??= new IngestKeys(await _keyring.GetIndexKeyNamerAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _keysGate.Release();
        }
    }

    private static string SourceMac(Context context) =>
        context.Keys.Mac.ComputeText(context.Request.Container + "/" + context.Request.BlobName);

    private static bool Matches(ArchiveBlobInfo info, string metadataName, string expected) =>
        info.Metadata.TryGetValue(metadataName, out var value) && string.Equals(value, expected, StringComparison.Ordinal);

    private static OpaqueKey? OpaqueKeyOrNull(string? value) => OpaqueKey.IsValid(value) ? new OpaqueKey(value!) : null;

    private static string? CleanCode(string? value)
    {
        var trimmed = value?.Trim('\0', ' ');
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private sealed record InstanceUids(string SopClassUid, string SopInstanceUid, string StudyInstanceUid, string SeriesInstanceUid);

    private sealed record Plaintext(Stream Stream, long Length, string Mac);

    private sealed class Context(IngestRequest request, IncomingUpload upload, IngestKeys keys)
    {
        public IngestRequest Request { get; } = request;

        public IncomingUpload Upload { get; } = upload;

        public IngestKeys Keys { get; } = keys;

        public string? UploadMac { get; set; }

        public string? InstanceKey { get; set; }
    }
}
