package io.streamloader.endtoend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Our modules and their dependencies on each other, read from the poms of a reactor (the root pom's {@code <modules>}),
 * and the rules of the test graph: a module tests against its upstream, the test kit and devstack only (a plugin also
 * against the host that loads it), and nobody takes a test-jar but the plugins' architecture rules.
 */
final class ModuleGraph {
    static final String GROUP = "io.streamloader";
    static final String PLUGIN_PARENT = "streamloader-plugin-parent";
    /** The host that loads plugins: a plugin's ITs run it inside the real pipeline. */
    static final String HOST = "streamloader-core";
    /** What every module may test with beyond its upstream. */
    static final Set<String> TEST_INFRA = Set.of("streamloader-test-kit", "streamloader-devstack");
    /**
     * Modules whose job is to combine the others, so any of ours is upstream of them: the distribution (launcher),
     * the benchmarks, the Kafka Connect adapter (runs the sinks' built plugin directories) and the end-to-end tests.
     */
    static final Set<String> COMBINERS = Set.of(
            "streamloader-launcher", "streamloader-bench", "streamloader-connect-adapter", "streamloader-end-to-end");
    /** The one test-jar: the SPI's plugin architecture rules, scanned by every plugin on the plugin parent. */
    static final String RULES_JAR_OWNER = "streamloader-spi";

    /** One {@code <dependency>} on a module of ours. */
    record Dependency(String artifactId, String scope, String type, String classifier) {
        boolean isTest() {
            return scope.equals("test");
        }

        boolean isTestJar() {
            return type.equals("test-jar") || classifier.equals("tests");
        }
    }

    /** One module: its artifact, its parent's, its dependencies on ours, and whether its build makes a test-jar. */
    record Module(String artifactId, String parent, List<Dependency> dependencies, boolean buildsTestJar) {}

    private final Map<String, Module> modules;

    private ModuleGraph(Map<String, Module> modules) {
        this.modules = modules;
    }

    /** Reads the reactor under {@code root} (the directory of the parent pom). */
    static ModuleGraph read(Path root) {
        Map<String, Module> modules = new LinkedHashMap<>();
        for (String dir : children(parse(root.resolve("pom.xml")).getDocumentElement(), "modules", "module")) {
            Module module = module(parse(root.resolve(dir).resolve("pom.xml")));
            modules.put(module.artifactId(), module);
        }
        return new ModuleGraph(modules);
    }

    Map<String, Module> modules() {
        return modules;
    }

    /** Every module of ours {@code artifactId} depends on outside test scope, directly, through its parent or further. */
    Set<String> upstream(String artifactId) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(artifactId));
        while (!todo.isEmpty()) {
            Module module = modules.get(todo.pop());
            if (module == null) {
                continue;
            }
            List<Dependency> deps = new ArrayList<>(module.dependencies());
            Optional.ofNullable(modules.get(module.parent())).ifPresent(p -> deps.addAll(p.dependencies()));
            for (Dependency dep : deps) {
                if (!dep.isTest() && seen.add(dep.artifactId())) {
                    todo.push(dep.artifactId());
                }
            }
        }
        return seen;
    }

    /** Each test dependency of a non-combining module on a module of ours that is neither upstream nor the kit. */
    List<String> sidewaysTestDependencies() {
        List<String> problems = new ArrayList<>();
        for (Module module : modules.values()) {
            if (COMBINERS.contains(module.artifactId())) {
                continue;
            }
            Set<String> allowed = new TreeSet<>(upstream(module.artifactId()));
            allowed.addAll(TEST_INFRA);
            if (module.parent().equals(PLUGIN_PARENT)) {
                allowed.add(HOST);
            }
            for (Dependency dep : module.dependencies()) {
                if (dep.isTest() && !allowed.contains(dep.artifactId())) {
                    problems.add(module.artifactId() + " tests against " + dep.artifactId()
                            + ", which is not upstream of it: move the test to end-to-end");
                }
            }
        }
        return problems;
    }

    /** Each test-jar built or taken, but for the SPI's plugin rules taken by the plugin parent. */
    List<String> testJars() {
        List<String> problems = new ArrayList<>();
        for (Module module : modules.values()) {
            if (module.buildsTestJar() && !module.artifactId().equals(RULES_JAR_OWNER)) {
                problems.add(module.artifactId() + " builds a test-jar: put shared fixtures in streamloader-test-kit");
            }
            for (Dependency dep : module.dependencies()) {
                boolean rules = module.artifactId().equals(PLUGIN_PARENT)
                        && dep.artifactId().equals(RULES_JAR_OWNER);
                if (dep.isTestJar() && !rules) {
                    problems.add(module.artifactId() + " takes the test-jar of " + dep.artifactId()
                            + ": use streamloader-test-kit");
                }
            }
        }
        return problems;
    }

    private static Module module(Document pom) {
        Element project = pom.getDocumentElement();
        String parent =
                child(project, "parent").map(p -> text(p, "artifactId", "")).orElse("");
        List<Dependency> deps = new ArrayList<>();
        for (Element dep : elements(child(project, "dependencies"), "dependency")) {
            if (text(dep, "groupId", "").equals(GROUP)) {
                deps.add(new Dependency(
                        text(dep, "artifactId", ""),
                        text(dep, "scope", "compile"),
                        text(dep, "type", "jar"),
                        text(dep, "classifier", "")));
            }
        }
        boolean buildsTestJar = false;
        NodeList goals = project.getElementsByTagName("goal");
        for (int i = 0; i < goals.getLength(); i++) {
            buildsTestJar |= goals.item(i).getTextContent().trim().equals("test-jar");
        }
        return new Module(text(project, "artifactId", ""), parent, List.copyOf(deps), buildsTestJar);
    }

    private static Document parse(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(pom.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot read " + pom + ": " + e.getMessage(), e);
        }
    }

    /** The direct child elements named {@code name}. */
    private static List<Element> elements(Optional<Element> parent, String name) {
        List<Element> out = new ArrayList<>();
        parent.ifPresent(p -> {
            for (Node n = p.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    out.add(e);
                }
            }
        });
        return out;
    }

    private static Optional<Element> child(Element parent, String name) {
        return elements(Optional.of(parent), name).stream().findFirst();
    }

    private static List<String> children(Element parent, String list, String item) {
        return elements(child(parent, list), item).stream()
                .map(e -> e.getTextContent().trim())
                .toList();
    }

    private static String text(Element parent, String name, String otherwise) {
        return child(parent, name).map(e -> e.getTextContent().trim()).orElse(otherwise);
    }
}
