package org.tessera.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port checks on the loopback interface, where every service of the stack listens. */
public final class Ports {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final String LOOPBACK_HOST = "127.0.0.1";

    private Ports() {}

    /** A port that was free a moment ago; the service that binds it next is expected to follow quickly. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("ports", "cannot find a free port on 127.0.0.1: " + e.getMessage());
        }
    }

    /** Fails with a message naming the port and its purpose when something already listens there. */
    public static void requireFree(int port, String purpose) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
        } catch (IOException e) {
            throw new StackException(
                    purpose,
                    "port " + port + " on 127.0.0.1 is already in use (" + e.getMessage()
                            + "). Stop whatever listens there (`ss -ltnp 'sport = :" + port + "'` shows it),"
                            + " or start on other ports with --port-base N.");
        }
    }

    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
