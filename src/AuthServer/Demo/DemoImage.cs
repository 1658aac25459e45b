using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AuthServer.Demo;

/// <summary>A one-layer OCI image small enough to print: a config blob, a gzipped tar layer and a manifest.</summary>
internal sealed record DemoImage(byte[] Config, byte[] Layer, byte[] Manifest)
{
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

    public string ConfigDigest => Digest(Config);
    public string LayerDigest => Digest(Layer);
    public string ManifestDigest => Digest(Manifest);

    private static readonly string[] Command = ["cat", "/hello.txt"];

    public static DemoImage Create()
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "hello.txt")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes("Hello from the AuthServer demo\n")),
                ModificationTime = DateTimeOffset.UnixEpoch,
            };
            writer.WriteEntry(entry);
        }
        var diffId = Digest(tar.ToArray());
        var layer = new MemoryStream();
        using (var gzip = new GZipStream(layer, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(tar.ToArray());

        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture = "amd64",
            os = "linux",
            config = new { Cmd = Command },
            rootfs = new { type = "layers", diff_ids = new[] { diffId } },
        });
        var layerBytes = layer.ToArray();
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = ManifestMediaType,
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = Digest(config), size = config.Length },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = Digest(layerBytes), size = layerBytes.Length } },
        });
        return new DemoImage(config, layerBytes, manifest);
    }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
