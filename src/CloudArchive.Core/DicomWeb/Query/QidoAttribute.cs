using CloudArchive.Dicom;

namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>
/// An attribute a QIDO-RS query names: a top-level tag, or a tag inside the first item of a sequence
/// (<c>RequestAttributesSequence.RequestedProcedureID</c>), with its VR and the level it belongs to.
/// </summary>
/// <param name="Tag">The attribute's tag.</param>
/// <param name="VR">Its VR (from the data dictionary).</param>
/// <param name="Level">The level whose entities carry it.</param>
/// <param name="Sequence">The enclosing sequence, for a nested attribute; null at top level.</param>
public sealed record QidoAttribute(DicomTag Tag, DicomVR VR, QidoLevel Level, DicomTag? Sequence = null)
{
    /// <summary>The keyword (or the tag as <c>GGGGEEEE</c> when the dictionary has none), as used in messages.</summary>
    public string Name
    {
        get
        {
            var own = DicomDictionary.GetKeyword(Tag) ?? DicomJsonWriter.Key(Tag);
            return Sequence is { } sq ? (DicomDictionary.GetKeyword(sq) ?? DicomJsonWriter.Key(sq)) + "." + own : own;
        }
    }
}
