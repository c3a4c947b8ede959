using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Deidentification;
using CloudArchive.Dicom;
using CloudArchive.Research.Agreements;

namespace CloudArchive.Research.Export;

/// <summary>The state of one export run: its fixed inputs and the counters studies add to concurrently.</summary>
internal sealed class ExportRun : IDisposable
{
    private readonly object _gate = new();
    private readonly HashSet<string> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _excludedByReason = new(StringComparer.Ordinal);
    private readonly List<ExcludedStudy> _excluded = [];
    private readonly IProgress<ExportProgress>? _progress;
    private int _seen;
    private int _studies;
    private long _instances;
    private long _bytes;
    private int _written;
    private int _unchanged;
    private int _removed;
    private long _instancesWritten;
    private long _bytesWritten;
    private long _instancesRemoved;

    public ExportRun(
        DataSharingAgreement agreement,
        ExportDeidentification deidentification,
        Deidentifier deidentifier,
        EnvelopeDecryptor decryptor,
        AuditActor actor,
        string? correlationId,
        DateTimeOffset startedAt,
        string retainUntil,
        string tempDirectory,
        int parallelism,
        IProgress<ExportProgress>? progress)
    {
        Agreement = agreement;
        Deidentification = deidentification;
        Deidentifier = deidentifier;
        Decryptor = decryptor;
        Actor = actor;
        CorrelationId = correlationId;
        StartedAt = startedAt;
        RetainUntil = retainUntil;
        TempDirectory = tempDirectory;
        Parallelism = parallelism;
        InstanceSlots = new SemaphoreSlim(parallelism, parallelism);
        ReaderOptions = new DicomReaderOptions { TempDirectory = tempDirectory };
        Tags = new Dictionary<string, string>(StringComparer.Ordinal) { [ArchiveMetadata.RetainUntilTag] = retainUntil };
        _progress = progress;
    }

    public DataSharingAgreement Agreement { get; }

    public ExportDeidentification Deidentification { get; }

    public Deidentifier Deidentifier { get; }

    public EnvelopeDecryptor Decryptor { get; }

    public AuditActor Actor { get; }

    public string? CorrelationId { get; }

    public DateTimeOffset StartedAt { get; }

    public string RetainUntil { get; }

    public string TempDirectory { get; }

    public int Parallelism { get; }

    /// <summary>Bounds the instances being decrypted and de-identified across all studies of the run.</summary>
    public SemaphoreSlim InstanceSlots { get; }

    public DicomReaderOptions ReaderOptions { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }

    public void Present(ExportLedgerEntry entry, bool written, long instancesWritten, long bytesWritten, int instancesRemoved = 0)
    {
        lock (_gate)
        {
            _seen++;
            _studies++;
            _instances += entry.Instances.Count;
            _bytes += entry.Instances.Sum(i => i.Bytes);
            foreach (var instance in entry.Instances)
            {
                _series.Add(instance.SeriesUid);
            }

            if (written)
            {
                _written++;
                _instancesWritten += instancesWritten;
                _bytesWritten += bytesWritten;
                _instancesRemoved += instancesRemoved;
            }
            else
            {
                _unchanged++;
            }
        }

        Report();
    }

    public void Excluded(string studyKey, ExclusionReason reason)
    {
        var code = ExclusionReasonCodes.Code(reason);
        lock (_gate)
        {
            _seen++;
            _excludedByReason[code] = _excludedByReason.GetValueOrDefault(code) + 1;
            _excluded.Add(new ExcludedStudy(studyKey, code));
        }

        Report();
    }

    public void Removed(int instances)
    {
        lock (_gate)
        {
            _removed++;
            _instancesRemoved += instances;
        }
    }

    public ExportManifest BuildAdminManifest(int archiveStudies)
    {
        lock (_gate)
        {
            return new ExportManifest
            {
                Schema = ExportManifest.AdminSchemaId,
                AgreementId = Agreement.Id,
                ExportedAt = StartedAt,
                SoftwareVersion = Deidentification.SoftwareVersion,
                Profile = Deidentification.Settings.Name,
                Options = Deidentification.OptionKeys,
                RetainUntil = RetainUntil,
                ArchiveStudies = archiveStudies,
                Exported = new ExportTotals(_studies, _series.Count, _instances, _bytes),
                Run = new ExportRunCounts(_written, _unchanged, _removed, _instancesWritten, _bytesWritten, _instancesRemoved),
                ExcludedByReason = new SortedDictionary<string, int>(_excludedByReason, StringComparer.Ordinal),
                ExcludedStudies = _excluded.OrderBy(e => e.StudyKey, StringComparer.Ordinal).ToList(),
            };
        }
    }

    public void Dispose() => InstanceSlots.Dispose();

    private void Report()
    {
        if (_progress is null)
        {
            return;
        }

        ExportProgress snapshot;
        lock (_gate)
        {
            snapshot = new ExportProgress(_seen, _written, _unchanged, _excluded.Count, _removed, _instancesWritten, _bytesWritten);
        }

        _progress.Report(snapshot);
    }
}
