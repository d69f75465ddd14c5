package io.streamloader.generator;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Seed 004's vehicle fleet: {@code vehicles} vehicles, each with a 17-character VIN and a constant random velocity,
 * posting a form body (timestamp, make, model, position_x/y/z, speed, vin) every {@code periodSeconds}. Requests go
 * round-robin over the vehicles, so at the natural rate (vehicles / period) each one reports once per period.
 */
final class Fleet implements Workload {

    private static final String[] MODELS = {
        "Maverick", "Escape", "F-150", "Explorer", "Mustang", "Bronco", "Edge", "Expedition"
    };
    private static final String VIN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /** The original's VEHICLE_VELOCITY_X/Y/Z (m/s): each vehicle draws rand[0,1) times these, once. */
    static final double[] MAX_VELOCITY = {2, 4, 100};

    private final String path;
    private final Vehicle[] vehicles;
    private final double periodSeconds;

    record Vehicle(String vin, String make, String model, double vx, double vy, double vz, long startNanos) {}

    Fleet(String path, int count, double periodSeconds, long seed) {
        this(path, count, periodSeconds, seed, "Ford", null, MAX_VELOCITY);
    }

    /**
     * @param make every vehicle's make (the original's VEHICLE_MAKE, default Ford)
     * @param model every vehicle's model (VEHICLE_MODEL); null: a random Ford model per vehicle
     * @param maxVelocity per-axis maximum velocity in m/s (VEHICLE_VELOCITY_X/Y/Z)
     */
    Fleet(String path, int count, double periodSeconds, long seed, String make, String model, double[] maxVelocity) {
        if (maxVelocity.length != 3) {
            throw new IllegalArgumentException("velocity needs x, y and z");
        }
        this.path = path;
        this.periodSeconds = periodSeconds;
        var random = new Random(seed);
        vehicles = new Vehicle[count];
        long now = System.nanoTime();
        for (int i = 0; i < count; i++) {
            var vin = new StringBuilder();
            for (int c = 0; c < 17; c++) {
                vin.append(VIN_CHARS.charAt(random.nextInt(VIN_CHARS.length())));
            }
            vehicles[i] = new Vehicle(
                    vin.toString(),
                    make,
                    model != null ? model : MODELS[random.nextInt(MODELS.length)],
                    random.nextDouble() * maxVelocity[0],
                    random.nextDouble() * maxVelocity[1],
                    random.nextDouble() * maxVelocity[2],
                    now);
        }
    }

    @Override
    public Request request(URI base, long seq, RandomGenerator random) {
        Vehicle v = vehicles[(int) (seq % vehicles.length)];
        return Workload.post(base, path, "application/x-www-form-urlencoded", form(v).getBytes(StandardCharsets.UTF_8))
                .build();
    }

    static String form(Vehicle v) {
        double t = (System.nanoTime() - v.startNanos()) / 1e9;
        double speed = Math.sqrt(v.vx() * v.vx() + v.vy() * v.vy() + v.vz() * v.vz());
        return String.format(
                Locale.ROOT,
                "timestamp=%.6f&make=%s&model=%s&position_x=%.3f&position_y=%.3f&position_z=%.3f&speed=%.3f&vin=%s",
                System.currentTimeMillis() / 1000.0,
                java.net.URLEncoder.encode(v.make(), StandardCharsets.UTF_8),
                java.net.URLEncoder.encode(v.model(), StandardCharsets.UTF_8),
                v.vx() * t,
                v.vy() * t,
                v.vz() * t,
                speed,
                v.vin());
    }

    /** Vehicle {@code i}, for tests. */
    Vehicle vehicle(int i) {
        return vehicles[i];
    }

    @Override
    public double naturalRate() {
        return vehicles.length / periodSeconds;
    }
}
