using System.Collections.Concurrent;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Crypto;
using CloudArchive.Deidentification;
using CloudArchive.Dicom;
using CloudArchive.Research.Publication;

namespace CloudArchive.Research.Export;

/// <summary>
/// The stage step of an export: decrypts and de-identifies a study's instances into the run's temporary directory.
/// A study is released whole or not at all, so the first instance that cannot be staged stops the rest.
/// </summary>
internal sealed class ExportStager
{
    private readonly IArchiveStore _archive;

    public ExportStager(IArchiveStore archive) => _archive = archive;

    /// <summary>The staged copies (the caller deletes their files), or why the study is withheld.</summary>
    public async Task<(List<StagedInstance> Staged, ExclusionReason? Failure)> StageAsync(ExportRun run, string studyKey, List<IndexedRecord> todo, CancellationToken cancellationToken)
    {
        var staged = new ConcurrentBag<StagedInstance>();
        ExclusionReason? failure = null;
        using var study = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await Parallel.ForEachAsync(
                todo,
                new ParallelOptions { MaxDegreeOfParallelism = run.Parallelism, CancellationToken = study.Token },
                async (item, token) =>
                {
                    await run.InstanceSlots.WaitAsync(token).ConfigureAwait(false);
                    try
                    {
                        var (instance, reason) = await StageInstanceAsync(run, studyKey, item, token).ConfigureAwait(false);
                        if (instance is not null)
                        {
                            staged.Add(instance);
                        }
                        else
                        {
                            lock (staged)
                            {
                                failure ??= reason;
                            }

                            // The study is withheld whole: no need to de-identify the rest.
                            await study.CancelAsync().ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        run.InstanceSlots.Release();
                    }
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (failure is not null && !cancellationToken.IsCancellationRequested)
        {
            // Cancelled by the first failure above.
        }
        catch
        {
            foreach (var s in staged)
            {
                ExportTempFiles.TryDelete(s.Path);
            }

            throw;
        }

        return ([.. staged], failure);
    }

    private async Task<(StagedInstance? Instance, ExclusionReason? Failure)> StageInstanceAsync(ExportRun run, string studyKey, IndexedRecord item, CancellationToken cancellationToken)
    {
        var name = ArchiveNames.Instance(studyKey, item.Entry.InstanceKey);
        var cipher = await _archive.OpenReadWithInfoAsync(name, cancellationToken).ConfigureAwait(false);
        if (cipher is null)
        {
            return (null, ExclusionReason.Unreadable);
        }

        try
        {
            await using (cipher.ConfigureAwait(false))
            {
                var plain = await run.Decryptor.OpenReadAsync(cipher.Content, cipher.Info.Metadata, name, cipher.Info.Length, leaveOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (plain.ConfigureAwait(false))
                {
                    // The reader spools bulk values of this forward-only stream to a temporary file it owns (deleted on
                    // dispose); only the small values are held in memory.
                    var file = await DicomFile.ReadAsync(plain, run.ReaderOptions, cancellationToken).ConfigureAwait(false);
                    await using (file.ConfigureAwait(false))
                    {
                        return await DeidentifyAsync(run, item, file, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (EnvelopeDecryptionException ex) when (ex.Reason == EnvelopeFailureReason.KeyDestroyed)
        {
            return (null, ExclusionReason.StudyShredded);
        }
        catch (Exception ex) when (ex is EnvelopeDecryptionException or DicomFormatException)
        {
            return (null, ExclusionReason.Unreadable);
        }
        catch (Exception ex) when (ex is DeidentificationException or DicomValueException or InvalidOperationException)
        {
            // As in DeidFileProcessor: a value the de-identifier or writer cannot handle withholds the instance (and
            // with it the study); the type alone is kept, never the message, which might quote a value.
            return (null, ExclusionReason.DeidentificationRefused);
        }
    }

    private static async Task<(StagedInstance? Instance, ExclusionReason? Failure)> DeidentifyAsync(ExportRun run, IndexedRecord item, DicomFile file, CancellationToken cancellationToken)
    {
        var result = await run.Deidentifier.DeidentifyAsync(file, run.TempDirectory, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!result.Succeeded)
            {
                return (null, ExclusionReason.DeidentificationRefused);
            }

            var ds = file.Dataset;
            var studyUid = Uid(ds.GetString(DicomTags.StudyInstanceUID));
            var seriesUid = Uid(ds.GetString(DicomTags.SeriesInstanceUID));
            var instanceUid = Uid(ds.GetString(DicomTags.SOPInstanceUID));
            if (studyUid is null || seriesUid is null || instanceUid is null)
            {
                return (null, ExclusionReason.DeidentificationRefused);
            }

            var blob = ResearchNames.Instance(run.Agreement.Id, studyUid, seriesUid, instanceUid);
            var path = Path.Combine(run.TempDirectory, Guid.NewGuid().ToString("N") + ".dcm");
            var length = await WriteAsync(file, path, cancellationToken).ConfigureAwait(false);
            return (new StagedInstance(item.Entry, studyUid, seriesUid, instanceUid, blob, path, length), null);
        }
        finally
        {
            foreach (var spool in result.SpoolFiles)
            {
                ExportTempFiles.TryDelete(spool);
            }
        }
    }

    /// <summary>Writes the de-identified file to <paramref name="path"/>; deletes what was written if that fails.</summary>
    private static async Task<long> WriteAsync(DicomFile file, string path, CancellationToken cancellationToken)
    {
        try
        {
            var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                await file.WriteAsync(output, null, cancellationToken).ConfigureAwait(false);
                return output.Length;
            }
        }
        catch
        {
            ExportTempFiles.TryDelete(path);
            throw;
        }
    }

    private static string? Uid(string? value)
    {
        var uid = value?.Trim('\0', ' ');
        return DicomUid.IsValid(uid) ? uid : null;
    }
}
