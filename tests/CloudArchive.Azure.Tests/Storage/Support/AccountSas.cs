using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CloudArchive.Azure.Tests.Storage.Support;

/// <summary>Builds an account SAS (version 2020-12-06+ string-to-sign) for tests of SAS connection strings.</summary>
internal static class AccountSas
{
    public static string Create(string accountName, string base64Key, DateTimeOffset expiresOn, string permissions = "rwdlacup", string services = "bq", string resourceTypes = "sco")
    {
        const string version = "2021-08-06";
        var expiry = expiresOn.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        const string protocol = "https,http";
        var stringToSign = string.Join('\n', accountName, permissions, services, resourceTypes, string.Empty, expiry, string.Empty, protocol, version, string.Empty, string.Empty);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(base64Key), Encoding.UTF8.GetBytes(stringToSign)));
        return $"sv={version}&ss={services}&srt={resourceTypes}&sp={permissions}&se={Uri.EscapeDataString(expiry)}&spr={Uri.EscapeDataString(protocol)}&sig={Uri.EscapeDataString(signature)}";
    }
}
