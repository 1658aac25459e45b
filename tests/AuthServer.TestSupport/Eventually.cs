namespace AuthServer.TestSupport;

public static class Eventually
{
    /// <summary>Polls until the condition holds, for changes another process makes (the CLI's reach the server within its revision check interval).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no {what} within {seconds} s");
            await Task.Delay(100);
        }
    }
}
