using AuthServer.Cli;

namespace AuthServer.Tests.Cli;

public class HealthCheckCommandTests
{
    [Theory]
    [InlineData("http://0.0.0.0:5001", "http://127.0.0.1:5001/healthz")]
    [InlineData("http://+:8080;https://+:8443", "http://127.0.0.1:8080/healthz")]
    [InlineData("http://*:80", "http://127.0.0.1/healthz")]
    [InlineData("http://[::]:5001", "http://[::1]:5001/healthz")]
    [InlineData("https://auth.example.com:443/", "https://auth.example.com/healthz")]
    [InlineData("http://127.0.0.1:5001", "http://127.0.0.1:5001/healthz")]
    public void Asks_healthz_on_the_first_address_with_wildcards_read_as_loopback(string urls, string expected) =>
        Assert.Equal(new Uri(expected), HealthCheckCommand.HealthUrl(urls));

    [Fact]
    public void An_address_that_is_not_http_is_an_error() =>
        Assert.Throws<InvalidOperationException>(() => HealthCheckCommand.HealthUrl("unix:/tmp/authserver.sock"));
}
