import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { paintMode } from "./lib/api";

// Read by App.svelte's style: without compositing the header scrolls with the page.
document.documentElement.dataset.paint = paintMode();

const target = document.getElementById("app");
if (!target) throw new Error("missing #app");
export default mount(App, { target });
