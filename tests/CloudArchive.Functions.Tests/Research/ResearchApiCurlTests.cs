using System.Diagnostics;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>The curl recipe of docs/research.md ("Researcher API"), run as written against the app.</summary>
[Collection(ResearchApiCollection.Name)]
public sealed class ResearchApiCurlTests(ResearchApiFixture fixture) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-curl-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Curl_with_a_bearer_token_downloads_a_study_zip_whose_files_dcmdump_parses()
    {
        foreach (var tool in new[] { "curl", "openssl", "unzip", "dcmdump" })
        {
            if (!Testing.ExternalTool.Exists(tool))
            {
                Assert.Skip($"{tool} is not installed (apt-get install curl openssl unzip dcmtk); this test runs the curl recipe of docs/research.md as written.");
            }
        }

        Directory.CreateDirectory(_dir);
        var script = """
            set -euo pipefail
            # A development token, signed with the development issuer's key file as Entra ID signs a tenant's tokens.
            b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
            NOW=$(date +%s)
            HEADER=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
            PAYLOAD=$(printf '{"iss":"%s/dev-issuer/%s/v2.0","aud":"api://cloudarchive-dev","tid":"%s","oid":"%s","roles":["Research.Read"],"groups":["%s"],"iat":%d,"nbf":%d,"exp":%d}' \
              "$API" "$TID" "$TID" "$OID" "$GROUP" "$NOW" "$NOW" "$((NOW + 3600))" | b64url)
            SIGNATURE=$(printf '%s.%s' "$HEADER" "$PAYLOAD" | openssl dgst -sha256 -sign "$KEY" -binary | b64url)
            TOKEN="$HEADER.$PAYLOAD.$SIGNATURE"
            curl -fsS -H "Authorization: Bearer $TOKEN" "$API/api/research/agreements/$AGREEMENT/studies" -o studies.json
            curl -fsS -H "Authorization: Bearer $TOKEN" "$API/api/research/agreements/$AGREEMENT/studies/2.25.1001/archive.zip" -o study.zip
            curl -fsS -H "Authorization: Bearer $TOKEN" "$API/api/research/agreements/$AGREEMENT/studies/2.25.1001/series/2.25.2002/instances/2.25.3003" -o one.dcm
            unzip -q study.zip -d study
            for f in study/*/*.dcm one.dcm; do dcmdump -q "$f" > /dev/null; done
            find study -name '*.dcm' | sort
            """;
        var start = new ProcessStartInfo("bash") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["KEY"] = fixture.Issuer.KeyPath;
        start.Environment["TID"] = Azure.Identity.DevelopmentTokenIssuer.DefaultTenantId;
        start.Environment["OID"] = Guid.NewGuid().ToString("D");
        start.Environment["GROUP"] = ResearchApiFixture.RecipientGroup;
        start.Environment["API"] = fixture.BaseAddress.AbsoluteUri.TrimEnd('/');
        start.Environment["AGREEMENT"] = ResearchApiFixture.Agreement;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(process.ExitCode == 0, stderr);
        Assert.Equal(["study/2.25.2001/2.25.3001.dcm", "study/2.25.2001/2.25.3002.dcm", "study/2.25.2002/2.25.3003.dcm"], (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(await File.ReadAllBytesAsync(ResearchApiFixture.SamplePath("CT_small.dcm"), TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(Path.Combine(_dir, "one.dcm"), TestContext.Current.CancellationToken));
    }
}
