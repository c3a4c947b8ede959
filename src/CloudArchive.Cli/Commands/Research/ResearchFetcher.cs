namespace CloudArchive.Cli.Commands.Research;

/// <summary>
/// Downloads an agreement's studies into <c>{out}/{study}/{series}/{instance}.dcm</c>. Resumable: a file that already
/// has the listed size and the DICM preamble is kept; everything else is written to <c>*.part</c>, verified (size,
/// <c>DICM</c> at offset 128) and only then renamed into place, so an interrupted run never leaves a truncated
/// <c>.dcm</c>. Downloads use the agreement's DICOMweb service root (WADO-RS, <c>multipart/related</c> in the stored
/// transfer syntax): studies with many missing files come as one streamed study retrieval (one request instead of
/// hundreds, which matters under the API's per-principal rate limit), each part written to its file as it arrives; a
/// few missing files are retrieved instance by instance.
/// </summary>
internal sealed class ResearchFetcher
{
    /// <summary>Above this many missing files a study is fetched as one archive.</summary>
    public const int ArchiveThreshold = 8;

    private const string PartialDirectoryName = ".cloudarchive-partial";
    private readonly ResearchApiClient _client;
    private readonly string _agreementId;
    private readonly string _out;

    public ResearchFetcher(ResearchApiClient client, string agreementId, string outDirectory)
    {
        _client = client;
        _agreementId = agreementId;
        _out = Path.GetFullPath(outDirectory);
    }

    /// <summary>How many study archives broke off and were completed file by file instead.</summary>
    public int ArchiveFallbacks { get; private set; }

    /// <summary>Lists the studies (all, or those named) and what is missing of each.</summary>
    public async Task<IReadOnlyList<StudyPlan>> PlanAsync(IReadOnlyCollection<string> onlyStudies, CancellationToken cancellationToken)
    {
        var studies = await _client.ListStudiesAsync(_agreementId, cancellationToken).ConfigureAwait(false);
        var wanted = onlyStudies.Count == 0 ? studies.Select(s => s.StudyInstanceUid).ToList() : onlyStudies.ToList();
        var unknown = wanted.Where(w => !studies.Any(s => s.StudyInstanceUid == w)).ToList();
        if (unknown.Count > 0)
        {
            throw new ResearchApiException(System.Net.HttpStatusCode.NotFound, "not-found", $"Not published under agreement {_agreementId}: {string.Join(", ", unknown)}.");
        }

        var plans = new List<StudyPlan>();
        foreach (var study in wanted)
        {
            var instances = await _client.ListStudyInstancesAsync(_agreementId, study, cancellationToken).ConfigureAwait(false);
            var missing = instances.Where(i => !IsComplete(TargetPath(i), i.Bytes)).ToList();
            plans.Add(new StudyPlan(study, instances, missing, missing.Count > ArchiveThreshold));
        }

        return plans;
    }

    /// <summary>Downloads what the plans say is missing; <paramref name="progress"/> receives transferred byte counts.</summary>
    public async Task<ResearchFetchSummary> FetchAsync(IReadOnlyList<StudyPlan> plans, Action<long> progress, CancellationToken cancellationToken)
    {
        var summary = new ResearchFetchSummary { Studies = plans.Count };
        foreach (var plan in plans)
        {
            summary.AlreadyComplete += plan.Instances.Count - plan.Missing.Count;
            if (plan.Missing.Count == 0)
            {
                continue;
            }

            if (plan.UseArchive)
            {
                try
                {
                    await FetchStudyAsync(plan, summary, progress, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                catch (ResearchApiException ex) when (ex.Code == "transfer-failed")
                {
                    // A broken study transfer would break the same way on every rerun (e.g. a study too large for one
                    // response): go on file by file, which resumes at file granularity (parts already written are kept).
                    ArchiveFallbacks++;
                }
            }

            foreach (var instance in plan.Missing)
            {
                if (!IsComplete(TargetPath(instance), instance.Bytes))
                {
                    await FetchInstanceAsync(instance, summary, progress, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        TryDeleteEmpty(Path.Combine(_out, PartialDirectoryName));
        return summary;
    }

    /// <summary>Whether <paramref name="path"/> holds a complete file: the expected size and the DICM magic after the 128-byte preamble.</summary>
    public static bool IsComplete(string path, long expectedBytes)
    {
        var info = new FileInfo(path);
        return info.Exists && info.Length == expectedBytes && HasDicomPreamble(path);
    }

    /// <summary>Whether the file has <c>DICM</c> at offset 128 (PS3.10 §7.1).</summary>
    public static bool HasDicomPreamble(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        if (file.Length < 132)
        {
            return false;
        }

        Span<byte> magic = stackalloc byte[4];
        file.Position = 128;
        file.ReadExactly(magic);
        return magic.SequenceEqual("DICM"u8);
    }

    private string TargetPath(RemoteInstance i) => Path.Combine(_out, i.StudyInstanceUid, i.SeriesInstanceUid, i.SopInstanceUid + ".dcm");

    private async Task FetchInstanceAsync(RemoteInstance instance, ResearchFetchSummary summary, Action<long> progress, CancellationToken cancellationToken)
    {
        var target = TargetPath(instance);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var part = target + ".part";
        long written;
        try
        {
            var file = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                written = await _client.DownloadInstanceAsync(_agreementId, instance, file, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            File.Delete(part);
            throw;
        }

        Commit(instance, part, target, written, summary);
    }

    private async Task FetchStudyAsync(StudyPlan plan, ResearchFetchSummary summary, Action<long> progress, CancellationToken cancellationToken)
    {
        var expected = plan.Missing.ToDictionary(i => i.SeriesInstanceUid + "/" + i.SopInstanceUid, StringComparer.Ordinal);
        var written = new HashSet<string>(StringComparer.Ordinal);
        await _client.DownloadStudyAsync(_agreementId, plan.StudyInstanceUid, async (location, body) =>
        {
            // Only instances the listing announced are written: nothing a part header says is ever used as a path.
            if (InstanceKey(location) is not { } key || !expected.TryGetValue(key, out var instance) || !written.Add(key))
            {
                return;
            }

            var target = TargetPath(instance);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var part = target + ".part";
            long count;
            try
            {
                var file = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    count = await ResearchApiClient.CopyAsync(body, file, progress, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                File.Delete(part);
                throw;
            }

            Commit(instance, part, target, count, summary);
        }, cancellationToken).ConfigureAwait(false);

        foreach (var (key, instance) in expected)
        {
            if (!written.Contains(key))
            {
                summary.Failures.Add($"{instance.StudyInstanceUid}/{key}.dcm: missing from the study retrieval");
            }
        }
    }

    // ".../series/{series}/instances/{instance}" → "{series}/{instance}" (the Content-Location of a WADO-RS part).
    private static string? InstanceKey(string? location)
    {
        var s = (location ?? string.Empty).Split('/');
        return s.Length >= 4 && s[^4] == "series" && s[^2] == "instances" ? s[^3] + "/" + s[^1] : null;
    }

    private static void Commit(RemoteInstance instance, string part, string target, long written, ResearchFetchSummary summary)
    {
        var label = $"{instance.StudyInstanceUid}/{instance.SeriesInstanceUid}/{instance.SopInstanceUid}";
        if (written != instance.Bytes)
        {
            File.Delete(part);
            summary.Failures.Add($"{label}: received {written} bytes, the listing says {instance.Bytes}");
            return;
        }

        if (!HasDicomPreamble(part))
        {
            File.Delete(part);
            summary.Failures.Add($"{label}: not a DICOM file (no DICM preamble)");
            return;
        }

        File.Move(part, target, overwrite: true);
        summary.Downloaded++;
        summary.DownloadedBytes += written;
    }

    private static void TryDeleteEmpty(string directory)
    {
        try
        {
            if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
        catch (IOException)
        {
            // Best effort: an empty leftover directory is harmless.
        }
    }
}
