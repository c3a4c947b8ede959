using CloudArchive.Core.DicomWeb.Query;
using CloudArchive.Dicom;

namespace CloudArchive.Research.DicomWeb;

/// <summary>
/// The attributes the research DICOMweb index holds per de-identified instance, with the level each belongs to: every
/// QIDO-RS matching key and default return attribute (PS3.18 Tables 10.6.1-5 and 10.6.3-3 to -5) plus a few that
/// researchers commonly ask for with <c>includefield</c>. <c>includefield=all</c> returns these; others are answered empty.
/// </summary>
public static class ResearchIndexedTags
{
    private static readonly DicomTag RequestAttributesSequence = new(0x0040, 0x0275);

    /// <summary>Top-level tags per level.</summary>
    public static IReadOnlyDictionary<DicomTag, QidoLevel> Levels { get; } = Build();

    /// <summary>Tags read from the first item of Request Attributes Sequence (Series level).</summary>
    public static IReadOnlyList<DicomTag> RequestAttributes { get; } = [new DicomTag(0x0040, 0x0009), new DicomTag(0x0040, 0x1001)];

    /// <summary>The sequence <see cref="RequestAttributes"/> live in.</summary>
    public static DicomTag RequestSequence => RequestAttributesSequence;

    /// <summary>The index key of an attribute: <c>GGGGEEEE</c>, or <c>SSSSSSSS.GGGGEEEE</c> inside a sequence.</summary>
    public static string Key(DicomTag tag, DicomTag? sequence) =>
        sequence is { } sq ? DicomJsonWriter.Key(sq) + "." + DicomJsonWriter.Key(tag) : DicomJsonWriter.Key(tag);

    /// <summary>The level of an attribute (instance level for tags this index does not know).</summary>
    public static QidoLevel LevelOf(DicomTag tag, DicomTag? sequence) =>
        sequence is not null ? QidoLevel.Series : Levels.TryGetValue(tag, out var level) ? level : QidoLevel.Instance;

    private static Dictionary<DicomTag, QidoLevel> Build()
    {
        var map = new Dictionary<DicomTag, QidoLevel>();
        void Add(QidoLevel level, params uint[] tags)
        {
            foreach (var t in tags)
            {
                map[new DicomTag(t)] = level;
            }
        }

        Add(QidoLevel.Study, 0x00080020, 0x00080030, 0x00080050, 0x00080090, 0x00080201, 0x00081030, 0x00100010, 0x00100020,
            0x00100030, 0x00100040, 0x00101010, 0x00101020, 0x00101030, 0x0020000D, 0x00200010);
        Add(QidoLevel.Series, 0x00080021, 0x00080031, 0x00080060, 0x0008103E, 0x00180015, 0x0020000E, 0x00200011, 0x00200060,
            0x00400244, 0x00400245);
        Add(QidoLevel.Instance, 0x00080008, 0x00080016, 0x00080018, 0x00080022, 0x00080023, 0x00080032, 0x00080033, 0x00200013,
            0x00280002, 0x00280004, 0x00280008, 0x00280010, 0x00280011, 0x00280100, 0x00280101);
        return map;
    }
}
