using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// Applies the PS3.15 Basic Application Level Confidentiality Profile (Table E.1-1, every row), the enabled options,
/// keyed pseudonymization and the pixel policy to one instance, in place, at every nesting depth.
/// </summary>
/// <remarks>
/// Order of work: (1) identifier tokens are gathered from the original dataset; (2) the pixel policy decides (a refused
/// instance is left untouched and reported); (3) every element at every depth gets exactly one action: a profile
/// override, else its Table E.1-1 row with the options applied, else a fallback by VR (UIDs mapped, dates and person
/// names emptied, text swept for identifier tokens, sequences recursed); private elements follow the private rule and
/// the safe list; (4) the file meta group and preamble are replaced; (5) the marking attributes are added.
/// Step (3) is the <see cref="DatasetWalker"/> with one class per action family (Engine/Actions); the others are in
/// Engine/Steps. This class is thread-safe: one instance can process many files concurrently.
/// </remarks>
public sealed class Deidentifier
{
    private const string MediaStorageDirectoryStorage = "1.2.840.10008.1.3.10";

    private static int _dictionaryWarmStarted;

    private readonly DeidSettings _settings;
    private readonly KeyedMapper _mapper;
    private readonly ConfidentialityProfileTable _table;
    private readonly PixelStep _pixels;
    private readonly DatasetWalker _walker;

    /// <summary>Creates a de-identifier for one project.</summary>
    public Deidentifier(DeidSettings settings, ProjectSecret secret, ConfidentialityProfileTable? table = null)
    {
        this._settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _mapper = new KeyedMapper(secret ?? throw new ArgumentNullException(nameof(secret)));
        WarmDictionary();
        this._table = table ?? ConfidentialityProfileTable.Standard;
        _pixels = new PixelStep(settings.Pixel);
        _walker = new DatasetWalker(settings, _mapper, new ProfileActions(settings, this._table));
    }

    /// <summary>The settings in use.</summary>
    public DeidSettings Settings => _settings;

    /// <summary>The keyed mapper (UIDs, pseudonyms, offsets) of this project.</summary>
    public KeyedMapper Mapper => _mapper;

    /// <summary>
    /// De-identifies <paramref name="file"/> in place. For a refused instance the file is left as it was and the
    /// report says why; the caller must not write it.
    /// </summary>
    /// <param name="file">The instance, as read.</param>
    /// <param name="spoolDirectory">Where blanked Pixel Data is spooled (only used when a pixel rule applies); the
    /// caller deletes the returned spool files after writing.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<DeidResult> DeidentifyAsync(DicomFile file, string? spoolDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var report = NewReport();
        var ds = file.Dataset;
        if (IsMediaDirectory(file))
        {
            return RefuseMediaDirectory(report);
        }

        var decision = _pixels.Decide(ds);
        if (decision.Kind == PixelDecisionKind.Refuse)
        {
            return RefusePixels(report, decision);
        }

        var ctx = InstanceContext.Create(ds, report, _settings, _mapper);
        var spool = new List<string>();
        await _pixels.ApplyAsync(ds, decision, spoolDirectory, spool, report, cancellationToken).ConfigureAwait(false);
        _walker.Walk(ds, string.Empty, clean: false, ctx);
        FileMetaReplacement.Apply(file, _settings, _mapper);
        DeidentificationMarking.Apply(ds, report, decision.Kind == PixelDecisionKind.Blank, _settings, _table.Edition);

        report.Outcome = InstanceOutcome.Deidentified;
        report.OutputSopInstanceUid = (ds.Get(DicomTags.SOPInstanceUID) as DicomValueElement)?.GetString();
        return new DeidResult(report, spool);
    }

    /// <summary>A report pre-filled with the profile, editions and options.</summary>
    public InstanceReport NewReport()
    {
        var report = new InstanceReport
        {
            Profile = _settings.Name,
            TableEdition = _table.Edition,
            SafePrivateEdition = _settings.Options.Contains(DeidOption.RetainSafePrivate) ? _settings.SafePrivate.Edition : null,
        };
        report.Options.AddRange(DeidOptionInfo.All.Where(_settings.Options.Contains).Select(DeidOptionInfo.Key));
        return report;
    }

    /// <summary>
    /// Starts loading the DICOM dictionary (needed by the first unlisted UID attribute, <see cref="UidPolicy"/>) on a
    /// pool thread, once per process, so it overlaps with the profile-table load instead of following it: in a
    /// short-lived CLI batch the two loads are a large part of the start-up time. A load failure is not lost: the
    /// dictionary's lazy value keeps it and rethrows at the first real use.
    /// </summary>
    private static void WarmDictionary()
    {
        if (Interlocked.Exchange(ref _dictionaryWarmStarted, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(
                static _ =>
                {
                    try
                    {
                        _ = DicomDictionary.Edition;
                    }
                    catch (Exception e) when (e is InvalidOperationException or System.Text.Json.JsonException)
                    {
                        // Rethrown by the dictionary at its first real use.
                    }
                },
                null);
        }
    }

    private static bool IsMediaDirectory(DicomFile file)
    {
        var metaClass = (file.FileMetaInformation.Get(DicomTags.MediaStorageSOPClassUID) as DicomValueElement)?.GetString().Trim('\0', ' ');
        return metaClass == MediaStorageDirectoryStorage || file.Dataset.Contains(DicomTags.DirectoryRecordSequence);
    }

    private static DeidResult RefuseMediaDirectory(InstanceReport report)
    {
        // A media directory is an index of the source file set, not an instance: its record offsets and Referenced
        // File IDs would describe files the research copy renames (outputs are named by mapped UID). It is refused
        // and reported, never written half-valid; a new DICOMDIR is built over the outputs (e.g. dcmmkdir).
        report.Outcome = InstanceOutcome.Refused;
        report.Failure = DeidFailure.MediaDirectoryRefused;
        report.Reason = "DICOMDIR (Media Storage Directory) is not de-identified: build a new one over the de-identified files";
        report.Pixel = "none";
        return new DeidResult(report, []);
    }

    private static DeidResult RefusePixels(InstanceReport report, PixelDecision decision)
    {
        report.Outcome = InstanceOutcome.Refused;
        report.Failure = DeidFailure.PixelPolicyRefused;
        report.Reason = decision.Reason;
        report.Pixel = "refused";
        return new DeidResult(report, []);
    }
}
