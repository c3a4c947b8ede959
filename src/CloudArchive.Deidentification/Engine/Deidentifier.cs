using System.Globalization;
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
/// This class is thread-safe: one instance can process many files concurrently.
/// </remarks>
public sealed class Deidentifier
{
    private const string MediaStorageDirectoryStorage = "1.2.840.10008.1.3.10";

    private readonly DeidSettings settings;
    private readonly KeyedMapper mapper;
    private readonly ConfidentialityProfileTable table;

    // The action of a standard attribute depends only on its tag and effective VR under fixed settings and table, so
    // it is resolved once per (tag, VR) for the life of the de-identifier instead of once per element of every file.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(uint Tag, DicomVR VR), ResolvedAction> standardActions = new();
    // A box, not a nullable struct: files are de-identified concurrently, and a reference is published atomically.
    private System.Runtime.CompilerServices.StrongBox<ResolvedAction>? privateAction;

    private static int dictionaryWarmStarted;

    // Bounds the cache in a long-lived host: a file can carry any number of distinct (unlisted) even-group tags.
    private const int MaxCachedActions = 16384;

    /// <summary>Creates a de-identifier for one project.</summary>
    public Deidentifier(DeidSettings settings, ProjectSecret secret, ConfidentialityProfileTable? table = null)
    {
        this.settings = settings ?? throw new ArgumentNullException(nameof(settings));
        mapper = new KeyedMapper(secret ?? throw new ArgumentNullException(nameof(secret)));
        WarmDictionary();
        this.table = table ?? ConfidentialityProfileTable.Standard;
    }

    /// <summary>The settings in use.</summary>
    public DeidSettings Settings => settings;

    /// <summary>The keyed mapper (UIDs, pseudonyms, offsets) of this project.</summary>
    public KeyedMapper Mapper => mapper;

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
            // A media directory is an index of the source file set, not an instance: its record offsets and Referenced
            // File IDs would describe files the research copy renames (outputs are named by mapped UID). It is refused
            // and reported, never written half-valid; a new DICOMDIR is built over the outputs (e.g. dcmmkdir).
            report.Outcome = InstanceOutcome.Refused;
            report.Failure = DeidFailure.MediaDirectoryRefused;
            report.Reason = "DICOMDIR (Media Storage Directory) is not de-identified: build a new one over the de-identified files";
            report.Pixel = "none";
            return new DeidResult(report, []);
        }

        var decision = DecidePixels(ds);
        if (decision.Kind == PixelDecisionKind.Refuse)
        {
            report.Outcome = InstanceOutcome.Refused;
            report.Failure = DeidFailure.PixelPolicyRefused;
            report.Reason = decision.Reason;
            report.Pixel = "refused";
            return new DeidResult(report, []);
        }

        var tokens = IdentifierTokens.Gather(ds, settings.Options);
        var patientKey = PatientKey(ds);
        int? offset = settings.Options.Contains(DeidOption.RetainLongitudinalModifiedDates)
            ? mapper.DateOffsetDays(patientKey, settings.MinShiftDays, settings.MaxShiftDays)
            : null;
        var ctx = new Context(report, tokens, patientKey, offset);

        var spool = new List<string>();
        if (decision.Kind == PixelDecisionKind.Blank)
        {
            await BlankAsync(ds, decision.Rule!, spoolDirectory, spool, report, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            report.Pixel = ds.Contains(DicomTags.PixelData) ? "unchanged" : "none";
        }

        ProcessDataset(ds, string.Empty, clean: false, ctx);
        ReplaceFileMeta(file);
        Mark(ds, report, decision.Kind == PixelDecisionKind.Blank);

        report.Outcome = InstanceOutcome.Deidentified;
        report.OutputSopInstanceUid = (ds.Get(DicomTags.SOPInstanceUID) as DicomValueElement)?.GetString();
        return new DeidResult(report, spool);
    }

    /// <summary>A report pre-filled with the profile, editions and options.</summary>
    public InstanceReport NewReport()
    {
        var report = new InstanceReport
        {
            Profile = settings.Name,
            TableEdition = table.Edition,
            SafePrivateEdition = settings.Options.Contains(DeidOption.RetainSafePrivate) ? settings.SafePrivate.Edition : null,
        };
        report.Options.AddRange(DeidOptionInfo.All.Where(settings.Options.Contains).Select(DeidOptionInfo.Key));
        return report;
    }

    /// <summary>The action the profile gives a standard attribute (override, table row with options, or fallback).</summary>
    /// <summary>
    /// Starts loading the DICOM dictionary (needed by the first unlisted UID attribute, <see cref="UidPolicy"/>) on a
    /// pool thread, once per process, so it overlaps with the profile-table load instead of following it: in a
    /// short-lived CLI batch the two loads are a large part of the start-up time. A load failure is not lost: the
    /// dictionary's lazy value keeps it and rethrows at the first real use.
    /// </summary>
    private static void WarmDictionary()
    {
        if (Interlocked.Exchange(ref dictionaryWarmStarted, 1) == 0)
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

    internal ResolvedAction ResolveStandard(DicomTag tag, DicomVR effectiveVR)
    {
        var key = (tag.Value, effectiveVR);
        if (standardActions.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var resolved = ResolveStandardUncached(tag, effectiveVR);
        if (standardActions.Count < MaxCachedActions)
        {
            standardActions.TryAdd(key, resolved);
        }

        return resolved;
    }

    private ResolvedAction ResolveStandardUncached(DicomTag tag, DicomVR effectiveVR)
    {
        foreach (var o in settings.Overrides)
        {
            if (o.Matches(tag, effectiveVR))
            {
                return new ResolvedAction(o.Action, o.Code, "override " + o.Label);
            }
        }

        var row = table.Find(tag);
        if (row is not null)
        {
            return ActionResolver.Resolve(row, settings.Options);
        }

        return Fallback(tag, effectiveVR);
    }

    private ResolvedAction Fallback(DicomTag tag, DicomVR vr)
    {
        var o = settings.Options;
        if (vr == DicomVR.UI)
        {
            return o.Contains(DeidOption.RetainUids) || UidPolicy.IsStructuralAttribute(tag)
                ? new ResolvedAction(DeidAction.Keep, "K", "not-in-table uid-structural-or-retained")
                : new ResolvedAction(DeidAction.ReplaceUid, "U", "not-in-table uid");
        }

        if (vr == DicomVR.DA || vr == DicomVR.DT || vr == DicomVR.TM)
        {
            // PS3.15 E.1.1 Note 4: treat every date and time by its VR, not only the listed ones.
            if (o.Contains(DeidOption.RetainLongitudinalFullDates))
            {
                return new ResolvedAction(DeidAction.Keep, "K", "not-in-table date retainLongitudinalFullDates");
            }

            if (o.Contains(DeidOption.RetainLongitudinalModifiedDates))
            {
                return new ResolvedAction(DeidAction.Clean, "C", "not-in-table date retainLongitudinalModifiedDates");
            }

            return new ResolvedAction(DeidAction.Empty, "Z", "not-in-table date");
        }

        if (vr == DicomVR.PN)
        {
            return new ResolvedAction(DeidAction.Empty, "Z", "not-in-table person-name");
        }

        return new ResolvedAction(DeidAction.Keep, "K", "not-in-table");
    }

    /// <param name="ds">The dataset or item.</param>
    /// <param name="path">Tag path of the item, for the report.</param>
    /// <param name="clean">Full cleaning of every text (inside a cleaned sequence).</param>
    /// <param name="ctx">Per-instance context.</param>
    /// <param name="dummyItem">The item is the one item kept by D on a sequence: attributes that their own action
    /// would remove or empty get a keyed dummy instead, so the item's Type 1 attributes keep a value (§2).</param>
    private void ProcessDataset(DicomDataset ds, string path, bool clean, Context ctx, bool dummyItem = false)
    {
        RemoveWholeOverlayAndCurveGroups(ds, path, ctx);
        var keptPrivateCreators = new HashSet<DicomTag>();
        var privateCreators = new List<DicomTag>();
        foreach (var element in ds.ToList())
        {
            var tag = element.Tag;
            var p = path + tag.ToString();
            if (tag.IsGroupLength)
            {
                ds.Remove(tag);
                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Removed, "X", "group-length"));
                continue;
            }

            if ((tag.Group & 1) == 1)
            {
                if (tag.IsPrivateCreator)
                {
                    privateCreators.Add(tag);
                    continue;
                }

                if (ProcessPrivate(ds, element, p, ctx))
                {
                    keptPrivateCreators.Add(tag.PrivateCreatorTag!.Value);
                }

                continue;
            }

            var action = ResolveStandard(tag, EffectiveVR.Of(element));
            if (dummyItem && action.Action is DeidAction.Remove or DeidAction.Empty
                && element is DicomValueElement dv && !EffectiveVR.IsUnSequence(dv))
            {
                action = new ResolvedAction(DeidAction.Dummy, "D", action.Source + "; " + action.Code + " upgraded to D inside the item of a D sequence");
            }

            Apply(ds, element, action, p, clean, ctx);
        }

        foreach (var creator in privateCreators)
        {
            var p = path + creator.ToString();
            if (keptPrivateCreators.Contains(creator))
            {
                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Kept, "K", "private-creator-of-kept-element"));
            }
            else
            {
                ds.Remove(creator);
                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Removed, "X", "private-creator"));
            }
        }
    }

    /// <summary>Returns true when the private element is kept.</summary>
    private bool ProcessPrivate(DicomDataset ds, DicomElement element, string p, Context ctx)
    {
        var tag = element.Tag;
        var row = table.PrivateAttributesRow;
        var resolved = (privateAction ??= new(ActionResolver.Resolve(row, settings.Options))).Value;
        var creator = tag.IsPrivateData ? ds.GetPrivateCreator(tag) : null;
        var safe = resolved.Action != DeidAction.Remove
            && creator is not null
            && settings.SafePrivate.Contains(creator, tag.Group, (byte)(tag.Element & 0xFF));
        if (!safe)
        {
            ds.Remove(tag);
            // The creator of a removed block is not named: it is a value of the input and could itself identify.
            ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Removed, resolved.Action == DeidAction.Remove ? row.BasicCode : resolved.Code, "private", creator is null ? "no private creator" : "not on the safe private list"));
            return false;
        }

        // A safe private attribute is kept, and cleaned (the option's C): text swept, sequences recursed.
        switch (element)
        {
            case DicomSequence seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    ProcessDataset(seq.Items[i], $"{p}[{i}]", clean: true, ctx);
                }

                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Kept, resolved.Code, resolved.Source, "safe private, creator " + creator));
                break;
            case DicomValueElement v when v.VR.IsString && !v.IsBulk:
                var cleaned = CleanText(ds, v, v.VR, full: false, ctx);
                ctx.Report.Attributes.Add(new AttributeRecord(p, cleaned ? AttributeOutcome.Cleaned : AttributeOutcome.Kept, resolved.Code, resolved.Source, "safe private, creator " + creator));
                break;
            default:
                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Kept, resolved.Code, resolved.Source, "safe private, creator " + creator));
                break;
        }

        return true;
    }

    private void Apply(DicomDataset ds, DicomElement element, ResolvedAction action, string p, bool clean, Context ctx)
    {
        var tag = element.Tag;
        var vr = EffectiveVR.Of(element);
        var report = ctx.Report;
        switch (action.Action)
        {
            case DeidAction.Remove:
                ds.Remove(tag);
                report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Removed, action.Code, action.Source));
                return;

            case DeidAction.Empty:
                if (element is DicomSequence or DicomFragmentSequence || EffectiveVR.IsUnSequence(element))
                {
                    ds.Set(new DicomSequence(tag));
                    report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Emptied, action.Code, action.Source));
                    return;
                }

                if (tag == DicomTags.PatientID || tag == DicomTags.PatientName)
                {
                    // Z allows a non-zero-length dummy; a stable pseudonym keeps a research set usable.
                    SetPseudonym(ds, element, vr, ctx);
                    report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Replaced, action.Code, action.Source, "pseudonym"));
                    return;
                }

                ds.Set(new DicomValueElement(tag, vr, ReadOnlyMemory<byte>.Empty));
                report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Emptied, action.Code, action.Source));
                return;

            case DeidAction.Dummy:
                if (element is DicomSequence dseq && dseq.Items.Count > 0)
                {
                    // D on a sequence (§2): the attribute is Type 1 somewhere, so it keeps exactly one item, the first,
                    // de-identified recursively with every value that its own action would remove or empty replaced by
                    // a keyed dummy. The other items (further observers, content) are dropped.
                    var dropped = dseq.Items.Count - 1;
                    while (dseq.Items.Count > 1)
                    {
                        dseq.Items.RemoveAt(dseq.Items.Count - 1);
                    }

                    ProcessDataset(dseq.Items[0], p + "[0]", clean, ctx, dummyItem: true);
                    report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Replaced, action.Code, action.Source, dropped == 0 ? "sequence: one item with dummy values" : $"sequence: one item with dummy values, {dropped} item(s) removed"));
                    return;
                }

                if (element is DicomSequence or DicomFragmentSequence || EffectiveVR.IsUnSequence(element))
                {
                    // Nothing to derive a dummy item from (no items, or a UN-encoded sequence that cannot be inspected).
                    ds.Set(new DicomSequence(tag));
                    report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Emptied, action.Code, action.Source, "sequence: written with zero items"));
                    return;
                }

                if (tag == DicomTags.PatientID || tag == DicomTags.PatientName)
                {
                    SetPseudonym(ds, element, vr, ctx);
                    report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Replaced, action.Code, action.Source, "pseudonym"));
                    return;
                }

                ds.Set(Dummy(ds, (DicomValueElement)element, vr));
                report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Replaced, action.Code, action.Source, "dummy"));
                return;

            case DeidAction.ReplaceUid:
                if (element is DicomValueElement uv && vr == DicomVR.UI)
                {
                    var changed = MapUids(ds, uv);
                    report.Attributes.Add(new AttributeRecord(p, changed ? AttributeOutcome.Replaced : AttributeOutcome.Kept, action.Code, action.Source, changed ? null : "registry or empty UID"));
                    return;
                }

                // U on anything that is not a readable UI value: nothing to map, so it cannot be kept safely.
                ds.Remove(tag);
                report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Removed, action.Code, action.Source, "not a readable UID value"));
                return;

            case DeidAction.Keep:
                Keep(ds, element, vr, action, p, clean, ctx);
                return;

            case DeidAction.Clean:
                CleanElement(ds, element, vr, action, p, ctx);
                return;
        }
    }

    private void Keep(DicomDataset ds, DicomElement element, DicomVR vr, ResolvedAction action, string p, bool clean, Context ctx)
    {
        switch (element)
        {
            case DicomSequence seq:
                // K on a sequence: "requires recursively applying the profile rules to each Dataset in each Item".
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    ProcessDataset(seq.Items[i], $"{p}[{i}]", clean, ctx);
                }

                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Kept, action.Code, action.Source, "sequence recursed"));
                return;
            case DicomFragmentSequence:
                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Kept, action.Code, action.Source));
                return;
            case DicomValueElement v when EffectiveVR.IsUnSequence(v):
                // A sequence encoded as UN with defined length cannot be inspected here: keeping it could pass
                // identifiers through, so it is removed.
                ds.Remove(v.Tag);
                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Removed, action.Code, action.Source, "sequence encoded as UN could not be inspected"));
                return;
            case DicomValueElement v when vr.IsString && vr != DicomVR.UI && vr != DicomVR.DS && vr != DicomVR.IS && vr != DicomVR.AS && !v.IsBulk:
                var changed = CleanText(ds, v, vr, full: clean, ctx);
                ctx.Report.Attributes.Add(new AttributeRecord(p, changed ? AttributeOutcome.Cleaned : AttributeOutcome.Kept, action.Code, action.Source, changed ? "identifying text masked" : null));
                return;
            case DicomValueElement v when (vr == DicomVR.DA || vr == DicomVR.DT) && clean && ctx.DateOffset is not null:
                ShiftDates(ds, v, vr, action, p, ctx);
                return;
            default:
                if (vr != element.VR && element is DicomValueElement raw)
                {
                    // Re-label a UN element of a known tag with its real VR (bytes are already implicit LE).
                    ds.Set(new DicomValueElement(raw.Tag, vr, raw.GetBytes()));
                }

                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Kept, action.Code, action.Source));
                return;
        }
    }

    private void CleanElement(DicomDataset ds, DicomElement element, DicomVR vr, ResolvedAction action, string p, Context ctx)
    {
        switch (element)
        {
            case DicomValueElement un when EffectiveVR.IsUnSequence(un):
                ds.Remove(un.Tag);
                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Removed, action.Code, action.Source, "sequence encoded as UN could not be inspected"));
                return;
            case DicomSequence seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    ProcessDataset(seq.Items[i], $"{p}[{i}]", clean: true, ctx);
                }

                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Cleaned, action.Code, action.Source, "sequence recursed and cleaned"));
                return;
            case DicomValueElement v when vr == DicomVR.DA || vr == DicomVR.DT:
                if (ctx.DateOffset is null)
                {
                    // Cleaning a date without a per-patient offset: nothing of similar meaning is known to be safe.
                    ds.Set(new DicomValueElement(v.Tag, vr, ReadOnlyMemory<byte>.Empty));
                    ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Emptied, action.Code, action.Source, "no date offset configured"));
                    return;
                }

                ShiftDates(ds, v, vr, action, p, ctx);
                return;
            case DicomValueElement v when vr == DicomVR.TM:
                // Times of day are kept: the offset is whole days, so intervals and SUV timing stay exact (E.3.6 Note 4).
                Keep(ds, v, vr, action, p, clean: false, ctx);
                return;
            case DicomValueElement v when vr == DicomVR.UI:
                var changed = !settings.Options.Contains(DeidOption.RetainUids) && MapUids(ds, v);
                ctx.Report.Attributes.Add(new AttributeRecord(p, changed ? AttributeOutcome.Replaced : AttributeOutcome.Kept, action.Code, action.Source));
                return;
            case DicomValueElement v when vr.IsString && vr != DicomVR.UN && !v.IsBulk:
                var masked = CleanText(ds, v, vr, full: true, ctx);
                ctx.Report.Attributes.Add(new AttributeRecord(p, masked ? AttributeOutcome.Cleaned : AttributeOutcome.Kept, action.Code, action.Source, masked ? "identifying text masked" : "checked, nothing identifying found"));
                return;
            default:
                // Binary values (overlay bitmaps, OB blobs, UN) have no cleaner: removing is the safe form of cleaning.
                ds.Remove(element.Tag);
                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Removed, action.Code, action.Source, "binary value cannot be cleaned; removed"));
                return;
        }
    }

    private void ShiftDates(DicomDataset ds, DicomValueElement v, DicomVR vr, ResolvedAction action, string p, Context ctx)
    {
        var values = EffectiveVR.GetStrings(v, ds.CharacterSet);
        var joined = string.Join('\\', values);
        var shifted = vr == DicomVR.DA ? DateShifter.ShiftDA(joined, ctx.DateOffset!.Value) : DateShifter.ShiftDT(joined, ctx.DateOffset!.Value);
        if (shifted is null)
        {
            ds.Set(new DicomValueElement(v.Tag, vr, ReadOnlyMemory<byte>.Empty));
            ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Emptied, action.Code, action.Source, "value is not a valid date; emptied"));
            return;
        }

        ds.Set(DicomValueElement.FromStrings(v.Tag, vr, [shifted]));
        ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Replaced, action.Code, action.Source, "date shifted by the per-patient offset"));
    }

    /// <summary>Masks identifier tokens (and, when <paramref name="full"/>, other sensitive patterns) in a text value;
    /// returns true when the value changed.</summary>
    private static bool CleanText(DicomDataset ds, DicomValueElement v, DicomVR vr, bool full, Context ctx)
    {
        string[] values;
        try
        {
            values = EffectiveVR.GetStrings(v, ds.CharacterSet);
        }
        catch (DicomValueException)
        {
            ds.Set(new DicomValueElement(v.Tag, vr, ReadOnlyMemory<byte>.Empty));
            return true;
        }

        var changed = false;
        var output = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var cleaned = full ? TextCleaner.Clean(values[i], ctx.Tokens) : TextCleaner.MaskTokens(values[i], ctx.Tokens);
            if (cleaned != values[i])
            {
                changed = true;

                // Code strings and AE titles have a restricted repertoire: a masked value is dropped, not starred.
                if (vr == DicomVR.CS || vr == DicomVR.AE || vr == DicomVR.UR)
                {
                    cleaned = string.Empty;
                }
            }

            output[i] = cleaned;
        }

        if (changed)
        {
            ds.Set(output.All(s => s.Length == 0)
                ? new DicomValueElement(v.Tag, vr, ReadOnlyMemory<byte>.Empty)
                : DicomValueElement.FromStrings(v.Tag, vr, output, ds.CharacterSet));
        }
        else if (vr != v.VR)
        {
            ds.Set(new DicomValueElement(v.Tag, vr, v.GetBytes()));
        }

        return changed;
    }

    private bool MapUids(DicomDataset ds, DicomValueElement v)
    {
        var values = EffectiveVR.GetStrings(v, ds.CharacterSet);
        var changed = false;
        for (var i = 0; i < values.Length; i++)
        {
            var u = values[i].Trim(' ', '\0');
            if (u.Length == 0 || UidPolicy.IsRegistryUid(u))
            {
                continue;
            }

            values[i] = mapper.MapUid(u);
            changed = true;
        }

        if (changed)
        {
            ds.Set(DicomValueElement.FromStrings(v.Tag, DicomVR.UI, values));
        }

        return changed;
    }

    private DicomValueElement Dummy(DicomDataset ds, DicomValueElement v, DicomVR vr)
    {
        if (vr.IsString && vr != DicomVR.UN)
        {
            string original;
            try
            {
                original = string.Join('\\', EffectiveVR.GetStrings(v, ds.CharacterSet));
            }
            catch (DicomValueException)
            {
                original = Convert.ToHexString(v.GetBytes().Span);
            }

            if (vr == DicomVR.UI)
            {
                var values = original.Split('\\').Select(u => u.Trim()).Where(u => u.Length > 0)
                    .Select(u => UidPolicy.IsRegistryUid(u) ? u : mapper.MapUid(u)).ToArray();
                return DicomValueElement.FromStrings(v.Tag, vr, values.Length == 0 ? [mapper.MapUid(v.Tag.ToString())] : values);
            }

            return DicomValueElement.FromStrings(v.Tag, vr, [mapper.DummyText(v.Tag, vr, original)], ds.CharacterSet);
        }

        // Binary VRs: one zero value of the VR's unit size (non-zero length, carries nothing).
        var size = vr == DicomVR.AT ? 4 : vr == DicomVR.UN || vr == DicomVR.OB ? 2 : Math.Max(2, vr.UnitSize);
        return new DicomValueElement(v.Tag, vr, new byte[size]);
    }

    private void SetPseudonym(DicomDataset ds, DicomElement element, DicomVR vr, Context ctx)
    {
        // The key is the Patient ID of the same dataset level (DICOMDIR patient records, other-patient items) or,
        // failing that, the instance's patient key, so name and ID pseudonyms agree for one patient.
        var levelId = (ds.Get(DicomTags.PatientID) as DicomValueElement) is { } idEl && idEl.Length > 0
            ? SafeString(ds, idEl)
            : null;
        var key = string.IsNullOrWhiteSpace(levelId) ? ctx.PatientKey : DicomTags.PatientID.ToString() + levelId.Trim();
        var value = element.Tag == DicomTags.PatientID ? mapper.PatientId(key) : mapper.PatientName(key);
        ds.Set(DicomValueElement.FromStrings(element.Tag, vr == DicomVR.UN ? (element.Tag == DicomTags.PatientID ? DicomVR.LO : DicomVR.PN) : vr, [value]));
    }

    private void RemoveWholeOverlayAndCurveGroups(DicomDataset ds, string path, Context ctx)
    {
        // Removing Overlay Data (60xx,3000) leaves the rest of its Overlay Plane (Type 1 rows, columns, type...)
        // describing nothing, which breaks IOD conformance; so when the data goes, its whole group goes.
        var overlayGroups = ds.Tags.Where(t => (t.Group & 0xFF01) == 0x6000 && t.Element == 0x3000).Select(t => t.Group).Distinct().ToList();
        foreach (var g in overlayGroups)
        {
            var dataTag = new DicomTag(g, 0x3000);
            var action = ResolveStandard(dataTag, EffectiveVR.Of(ds[dataTag]));
            if (action.Action is DeidAction.Remove || (action.Action == DeidAction.Clean && ds[dataTag] is DicomValueElement))
            {
                foreach (var t in ds.Tags.Where(t => t.Group == g).ToList())
                {
                    ds.Remove(t);
                    ctx.Report.Attributes.Add(new AttributeRecord(path + t.ToString(), AttributeOutcome.Removed, action.Code, action.Source, "overlay plane removed with its Overlay Data"));
                }
            }
        }
    }

    private static bool IsMediaDirectory(DicomFile file)
    {
        var metaClass = (file.FileMetaInformation.Get(DicomTags.MediaStorageSOPClassUID) as DicomValueElement)?.GetString().Trim('\0', ' ');
        return metaClass == MediaStorageDirectoryStorage || file.Dataset.Contains(DicomTags.DirectoryRecordSequence);
    }

    private PixelDecision DecidePixels(DicomDataset ds)
    {
        var pixel = ds.Get(DicomTags.PixelData);
        return settings.Pixel.Decide(
            hasPixelData: pixel is not null,
            isEncapsulated: pixel is DicomFragmentSequence,
            burnedInAnnotation: TopString(ds, DicomTags.BurnedInAnnotation),
            modality: TopString(ds, DicomTags.Modality),
            manufacturer: TopString(ds, DicomTags.Manufacturer),
            model: TopString(ds, DicomTags.ManufacturerModelName),
            rows: TopUShort(ds, DicomTags.Rows),
            columns: TopUShort(ds, DicomTags.Columns));
    }

    private static async Task BlankAsync(DicomDataset ds, PixelRule rule, string? spoolDirectory, List<string> spool, InstanceReport report, CancellationToken cancellationToken)
    {
        if (ds.Get(DicomTags.PixelData) is not DicomValueElement pixel)
        {
            throw new DeidentificationException(DeidFailure.PixelDataUnsupported, "Pixel Data is not native");
        }

        var framesText = TopString(ds, DicomTags.NumberOfFrames);
        var frames = int.TryParse(framesText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1;
        var geometry = new PixelGeometry(
            TopUShort(ds, DicomTags.Rows) ?? 0,
            TopUShort(ds, DicomTags.Columns) ?? 0,
            TopUShort(ds, DicomTags.SamplesPerPixel) ?? 1,
            TopUShort(ds, DicomTags.BitsAllocated) ?? 0,
            TopUShort(ds, DicomTags.PlanarConfiguration) ?? 0,
            frames);
        var reason = PixelBlanker.Validate(geometry, rule.Rectangles);
        if (reason is not null)
        {
            throw new DeidentificationException(DeidFailure.PixelDataUnsupported, reason);
        }

        var dir = spoolDirectory ?? Path.GetTempPath();
        var tmp = Path.Combine(dir, "deid-pixels-" + Guid.NewGuid().ToString("N") + ".tmp");
        spool.Add(tmp);
        var src = pixel.OpenRead();
        await using (src.ConfigureAwait(false))
        {
            var dst = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (dst.ConfigureAwait(false))
            {
                await PixelBlanker.CopyBlankedAsync(src, dst, pixel.Length, geometry, rule.Rectangles, cancellationToken).ConfigureAwait(false);
            }
        }

        ds.Set(new DicomValueElement(DicomTags.PixelData, pixel.VR, DicomBulkData.FromFile(tmp)));
        ds.Set(DicomValueElement.FromStrings(DicomTags.BurnedInAnnotation, DicomVR.CS, ["NO"]));
        report.Pixel = "blanked";
        report.PixelRule = rule.Name;
        report.Attributes.Add(new AttributeRecord(DicomTags.PixelData.ToString(), AttributeOutcome.Cleaned, "C", "pixel-rule", $"{rule.Rectangles.Count} rectangle(s) blanked"));
    }

    private void ReplaceFileMeta(DicomFile file)
    {
        // E.1.1 item 7: the File Meta Information and preamble are replaced with a description of the de-identifier.
        var sopClass = (file.Dataset.Get(DicomTags.SOPClassUID) as DicomValueElement)?.GetString()
            ?? (file.FileMetaInformation.Get(DicomTags.MediaStorageSOPClassUID) as DicomValueElement)?.GetString();
        var sopInstance = (file.Dataset.Get(DicomTags.SOPInstanceUID) as DicomValueElement)?.GetString();
        if (sopInstance is null && file.FileMetaInformation.Get(DicomTags.MediaStorageSOPInstanceUID) is DicomValueElement metaUid)
        {
            var original = metaUid.GetString();
            sopInstance = settings.Options.Contains(DeidOption.RetainUids) || UidPolicy.IsRegistryUid(original) ? original : mapper.MapUid(original);
        }

        var meta = new DicomDataset();
        if (sopClass is not null)
        {
            meta.Set(DicomValueElement.FromStrings(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, [sopClass]));
        }

        if (sopInstance is not null)
        {
            meta.Set(DicomValueElement.FromStrings(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, [sopInstance]));
        }

        file.FileMetaInformation = meta;
        file.Preamble = null;
    }

    private void Mark(DicomDataset ds, InstanceReport report, bool pixelsCleaned)
    {
        ds.Set(DicomValueElement.FromStrings(DicomTags.PatientIdentityRemoved, DicomVR.CS, ["YES"]));
        report.Attributes.Add(new AttributeRecord(DicomTags.PatientIdentityRemoved.ToString(), AttributeOutcome.Added, "YES", "E.1.1"));

        var codes = new List<(string Code, string Meaning)> { (DeidOptionInfo.BasicProfileCode, DeidOptionInfo.BasicProfileMeaning) };
        if (pixelsCleaned)
        {
            codes.Add((DeidOptionInfo.CleanPixelDataCode, DeidOptionInfo.CleanPixelDataMeaning));
        }

        codes.AddRange(DeidOptionInfo.All.Where(settings.Options.Contains).Select(o => (DeidOptionInfo.Code(o), DeidOptionInfo.Meaning(o))));

        // (0012,0063) is LO 1-n: one value per method so that no value exceeds 64 characters.
        var method = new List<string> { $"CloudArchive PS3.15 {table.Edition} Table E.1-1" };
        method.AddRange(codes.Select(c => c.Meaning.Length <= 64 ? c.Meaning : c.Meaning[..64]));
        ds.Set(DicomValueElement.FromStrings(DicomTags.DeidentificationMethod, DicomVR.LO, method));
        report.Attributes.Add(new AttributeRecord(DicomTags.DeidentificationMethod.ToString(), AttributeOutcome.Added, "LO", "E.1.1"));

        var seq = new DicomSequence(DicomTags.DeidentificationMethodCodeSequence);
        foreach (var (code, meaning) in codes)
        {
            var item = new DicomDataset();
            item.Set(DicomValueElement.FromStrings(DicomTags.CodeValue, DicomVR.SH, [code]));
            item.Set(DicomValueElement.FromStrings(DicomTags.CodingSchemeDesignator, DicomVR.SH, ["DCM"]));
            item.Set(DicomValueElement.FromStrings(DicomTags.CodeMeaning, DicomVR.LO, [meaning]));
            seq.Items.Add(item);
        }

        ds.Set(seq);
        report.Attributes.Add(new AttributeRecord(DicomTags.DeidentificationMethodCodeSequence.ToString(), AttributeOutcome.Added, "SQ", "E.1.1 CID 7050"));

        var temporal = settings.Options.Contains(DeidOption.RetainLongitudinalModifiedDates) ? "MODIFIED"
            : settings.Options.Contains(DeidOption.RetainLongitudinalFullDates) ? "UNMODIFIED"
            : "REMOVED";
        ds.Set(DicomValueElement.FromStrings(DicomTags.LongitudinalTemporalInformationModified, DicomVR.CS, [temporal]));
        report.Attributes.Add(new AttributeRecord(DicomTags.LongitudinalTemporalInformationModified.ToString(), AttributeOutcome.Added, temporal, "E.3.6"));
    }

    private static string PatientKey(DicomDataset ds)
    {
        foreach (var tag in new[] { DicomTags.PatientID, DicomTags.PatientName, DicomTags.StudyInstanceUID })
        {
            if (ds.Get(tag) is DicomValueElement v && v.Length > 0)
            {
                var s = SafeString(ds, v)?.Trim();
                if (!string.IsNullOrEmpty(s))
                {
                    return tag.ToString() + s;
                }
            }
        }

        return "(no patient identity)";
    }

    private static string? SafeString(DicomDataset ds, DicomValueElement v)
    {
        try
        {
            return string.Join('\\', EffectiveVR.GetStrings(v, ds.CharacterSet));
        }
        catch (DicomValueException)
        {
            return null;
        }
    }

    private static string? TopString(DicomDataset ds, DicomTag tag) =>
        ds.Get(tag) is DicomValueElement v && v.Length is > 0 and < 1024 ? SafeString(ds, v)?.Trim() : null;

    private static int? TopUShort(DicomDataset ds, DicomTag tag)
    {
        if (ds.Get(tag) is not DicomValueElement v || v.Length < 2)
        {
            return null;
        }

        return v.GetValues<ushort>()[0];
    }

    private sealed record Context(InstanceReport Report, IdentifierTokens Tokens, string PatientKey, int? DateOffset);
}
