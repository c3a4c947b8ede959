using CloudArchive.Dicom;

namespace CloudArchive.Research.DicomWeb;

/// <summary>Takes the indexed attributes (<see cref="ResearchIndexedTags"/>) out of a de-identified copy.</summary>
public static class ResearchDicomIndexer
{
    /// <summary>The index entry of one copy (UIDs from its blob name, which the exporter derived from the same dataset).</summary>
    public static ResearchDicomIndexEntry Index(string studyUid, string seriesUid, string instanceUid, long length, DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var ds = file.Dataset;
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var tag in ResearchIndexedTags.Levels.Keys)
        {
            if (ds.Get(tag) is DicomValueElement element)
            {
                values[ResearchIndexedTags.Key(tag, null)] = element.GetStrings(ds.CharacterSet);
            }
        }

        if (ds.Get(ResearchIndexedTags.RequestSequence) is DicomSequence { Items.Count: > 0 } sq)
        {
            var item = sq.Items[0];
            foreach (var tag in ResearchIndexedTags.RequestAttributes)
            {
                if (item.Get(tag) is DicomValueElement element)
                {
                    values[ResearchIndexedTags.Key(tag, ResearchIndexedTags.RequestSequence)] = element.GetStrings(item.CharacterSet);
                }
            }
        }

        return new ResearchDicomIndexEntry(studyUid, seriesUid, instanceUid, file.TransferSyntax.Uid, length, values);
    }
}
