using System.Runtime.InteropServices;

namespace AuthServer.Hosting;

/// <summary>
/// glibc gives each thread that allocates natively (OpenSSL for every signature and HMAC, SQLite)
/// an arena of its own, up to eight per core, and each keeps what was freed in it. Under token load
/// on the thread pool that is tens of arenas holding memory nobody uses: bench/run.sh measured
/// 10–15 MB more resident than with one arena per core. This is what MALLOC_ARENA_MAX does, done
/// by the server itself so every way of running it gets it; the variable, when set, wins.
/// </summary>
internal static class MallocArenas
{
    private const int ArenaMax = -8; // M_ARENA_MAX in glibc's malloc.h

    public static void LimitToCores()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null) return;
        try
        {
            // mallopt answers 0 when glibc refuses the value; the default arenas then stay, which is only a missed saving.
            _ = mallopt(ArenaMax, Math.Max(2, Environment.ProcessorCount));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has its own allocator, without per-thread arenas): nothing to limit.
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int param, int value);
}
