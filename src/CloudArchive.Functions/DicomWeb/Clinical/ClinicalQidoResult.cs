using System.Globalization;
using CloudArchive.Core.DicomWeb.Query;
using CloudArchive.Dicom;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>One QIDO-RS result as a dataset (for the DICOM JSON writer): the return attributes the entity has, with their dictionary VRs.</summary>
internal static class ClinicalQidoResult
{
    public static DicomDataset ToDataset(IReadOnlyList<QidoAttribute> attributes, IQidoAttributeSource entity)
    {
        var dataset = new DicomDataset();
        dataset.SetString(QidoAttributes.SpecificCharacterSet.Tag, "ISO_IR 192");
        foreach (var attribute in attributes.Where(a => a.Sequence is null && a.Tag != QidoAttributes.SpecificCharacterSet.Tag))
        {
            if (entity.GetValues(attribute) is not { } values)
            {
                continue;
            }

            var vr = attribute.VR;
            dataset.Set(vr.Code switch
            {
                "US" => DicomValueElement.FromValues(attribute.Tag, vr, values.Select(v => ushort.Parse(v, CultureInfo.InvariantCulture)).ToArray()),
                "UL" => DicomValueElement.FromValues(attribute.Tag, vr, values.Select(v => uint.Parse(v, CultureInfo.InvariantCulture)).ToArray()),
                _ => DicomValueElement.FromStrings(attribute.Tag, vr, values, dataset.CharacterSet),
            });
        }

        return dataset;
    }
}
