using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AuthServer.Tests.Infrastructure;

/// <summary>A small one-layer image made by the test: every one is different, so pushes never collide.</summary>
public sealed record TestImage(byte[] Config, byte[] Layer, byte[] Manifest, string MediaType)
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    public string ConfigDigest => Digest(Config);
    public string LayerDigest => Digest(Layer);
    public string ManifestDigest => Digest(Manifest);

    public static TestImage Create(string mediaType = OciManifest)
    {
        var oci = mediaType == OciManifest;
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "hello.txt")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes($"test image {Guid.NewGuid()}\n")),
            });
        }
        var layer = new MemoryStream();
        using (var gzip = new GZipStream(layer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(tar.ToArray());
        var layerBytes = layer.ToArray();
        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture = "amd64",
            os = "linux",
            rootfs = new { type = "layers", diff_ids = new[] { Digest(tar.ToArray()) } },
        });
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType,
            config = new
            {
                mediaType = oci ? "application/vnd.oci.image.config.v1+json" : "application/vnd.docker.container.image.v1+json",
                digest = Digest(config),
                size = config.Length,
            },
            layers = new[]
            {
                new
                {
                    mediaType = oci ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    digest = Digest(layerBytes),
                    size = layerBytes.Length,
                },
            },
        });
        return new TestImage(config, layerBytes, manifest, mediaType);
    }

    /// <summary>An OCI image layout (image-spec layout.md): oci-layout, index.json naming the tag, blobs/sha256/&lt;hex&gt;.</summary>
    public void WriteOciLayout(string directory, string tag)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        foreach (var blob in new[] { Config, Layer, Manifest })
            File.WriteAllBytes(Path.Combine(blobs, Digest(blob)["sha256:".Length..]), blob);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllBytes(Path.Combine(directory, "index.json"), JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            manifests = new[]
            {
                new
                {
                    mediaType = MediaType,
                    digest = ManifestDigest,
                    size = Manifest.Length,
                    annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag },
                },
            },
        }));
    }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
